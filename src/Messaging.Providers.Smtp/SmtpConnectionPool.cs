using MailKit.Net.Smtp;
using NodaTime;

namespace Messaging.Providers.Smtp;

/// <summary>An open (connected, and authenticated when configured) SMTP session, used by one send at a time.</summary>
internal sealed class SmtpConnection(ISmtpClient client, Instant lastUsed)
{
    public ISmtpClient Client { get; } = client;

    /// <summary>When the connection last carried a command successfully.</summary>
    public Instant LastUsed { get; set; } = lastUsed;

    /// <summary>The last send on it was refused; check it with NOOP before trusting it again.</summary>
    public bool Suspect { get; set; }
}

/// <summary>
/// At most <see cref="SmtpEmailOptions.MaxConnections"/> SMTP sessions, kept open between sends. MailKit clients are
/// not thread-safe, so a rented connection belongs to one send until it is returned. Idle connections are handed out
/// last-in first-out, so under light load the same warm connection is reused and the others age out.
/// </summary>
internal sealed class SmtpConnectionPool
{
    private readonly SemaphoreSlim _slots;
    private readonly Stack<SmtpConnection> _idle = new();
    private readonly object _gate = new();
    private bool _closed;

    public SmtpConnectionPool(int maxConnections)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        _slots = new SemaphoreSlim(maxConnections, maxConnections);
    }

    /// <summary>How many open connections are waiting for a send.</summary>
    public int IdleCount
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>
    /// Waits for a free slot, then returns an idle connection, or <see langword="null"/> when the caller should open a
    /// new one. Every call that returns must be paired with <see cref="Return"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pool was closed.</exception>
    public async ValueTask<SmtpConnection?> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_closed)
            {
                return _idle.Count > 0 ? _idle.Pop() : null;
            }
        }

        _slots.Release();
        throw new ObjectDisposedException(nameof(SmtpEmailProvider));
    }

    /// <summary>
    /// Frees the slot; <paramref name="connection"/> (when not <see langword="null"/>) goes back to the idle set.
    /// Returns <see langword="false"/> when the pool was closed meanwhile: the caller must then close the connection.
    /// </summary>
    public bool Return(SmtpConnection? connection)
    {
        var kept = false;
        lock (_gate)
        {
            if (connection is not null && !_closed)
            {
                _idle.Push(connection);
                kept = true;
            }
        }

        _slots.Release();
        return kept;
    }

    /// <summary>Stops handing out connections and takes the idle ones out, for the caller to close.</summary>
    public SmtpConnection[] Close()
    {
        lock (_gate)
        {
            _closed = true;
            var all = _idle.ToArray();
            _idle.Clear();
            return all;
        }
    }
}
