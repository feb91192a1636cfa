using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Messaging.Storage.InMemory;

namespace Messaging.Tests.Support;

/// <summary>
/// Everything the in-memory store holds, as text: every field's entries serialized property by property (not through
/// the records' masked ToString), so a test can search the whole store for a secret.
/// </summary>
internal static class StoreDump
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = false, ReferenceHandler = System.Text.Json.Serialization.ReferenceHandler.IgnoreCycles };

    public static string Of(TestWorld world)
    {
        var store = (InMemoryMessagingStore)world.Store;
        var text = new StringBuilder();
        foreach (var field in typeof(InMemoryMessagingStore).GetFields(BindingFlags.Instance | BindingFlags.NonPublic))
        {
            if (field.GetValue(store) is not IEnumerable entries || entries is string)
            {
                continue;
            }

            text.Append("## ").AppendLine(field.Name);
            foreach (var entry in entries)
            {
                text.AppendLine(Serialize(entry));
            }
        }

        return text.ToString();
    }

    private static string Serialize(object? entry)
    {
        try
        {
            return JsonSerializer.Serialize(entry, entry?.GetType() ?? typeof(object), Json);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return entry?.ToString() ?? "null";
        }
    }
}
