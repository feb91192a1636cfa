namespace Messaging.Templates;

/// <summary>
/// A bounded least-recently-used map from template text to its compiled form. A lock guards it: lookups are a
/// dictionary probe and a list splice, far cheaper than the render that follows, and compiling happens outside the
/// lock so one slow template never blocks the others.
/// </summary>
internal sealed class TemplateCache(int capacity)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<CompiledTemplate>> _byText = new(StringComparer.Ordinal);
    private readonly LinkedList<CompiledTemplate> _recency = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byText.Count;
            }
        }
    }

    public bool TryGet(string text, out CompiledTemplate? template)
    {
        lock (_gate)
        {
            if (_byText.TryGetValue(text, out var node))
            {
                Touch(node);
                template = node.Value;
                return true;
            }
        }

        template = null;
        return false;
    }

    /// <summary>Adds a template unless another thread added one for the same text first; returns the cached one.</summary>
    public CompiledTemplate GetOrAdd(CompiledTemplate template)
    {
        if (capacity == 0)
        {
            return template;
        }

        lock (_gate)
        {
            if (_byText.TryGetValue(template.Text, out var existing))
            {
                Touch(existing);
                return existing.Value;
            }

            _byText.Add(template.Text, _recency.AddFirst(template));
            if (_byText.Count > capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _byText.Remove(oldest.Value.Text);
            }

            return template;
        }
    }

    private void Touch(LinkedListNode<CompiledTemplate> node)
    {
        if (!ReferenceEquals(_recency.First, node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
        }
    }
}
