using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Messaging.Testing.Peers;

namespace Messaging.Providers.Smtp.Tests.Support;

/// <summary>
/// One of the real SMTP servers started by <c>tools/peers/start-smtp.sh</c> (smtp_sink.py on 127.0.0.1), with its HTTP
/// API for reading back what arrived. The sinks are shared by every test running in parallel, so tests find their own
/// mail by Message-ID and never clear the store.
/// </summary>
internal sealed class SmtpSink
{
    public const string HostVariable = "MESSAGING_SMTP_HOST";
    public const string User = "MESSAGING_SMTP_USER";
    public const string Password = "MESSAGING_SMTP_PASSWORD";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SmtpSink(string portVariable, string apiVariable)
    {
        Host = Peers.Get(HostVariable);
        Port = int.Parse(Peers.Get(portVariable), System.Globalization.CultureInfo.InvariantCulture);
        Api = new Uri(Peers.Get(apiVariable).TrimEnd('/') + "/");
    }

    /// <summary>Plain SMTP, no AUTH; refuses @refused.invalid with 550 and @tempfail.invalid with 451.</summary>
    public static SmtpSink Plain() => new("MESSAGING_SMTP_PORT", "MESSAGING_SMTP_API");

    /// <summary>STARTTLS required, then AUTH required (self-signed certificate).</summary>
    public static SmtpSink StartTls() => new("MESSAGING_SMTP_STARTTLS_PORT", "MESSAGING_SMTP_STARTTLS_API");

    /// <summary>TLS from the first byte, AUTH required (self-signed certificate).</summary>
    public static SmtpSink ImplicitTls() => new("MESSAGING_SMTP_IMPLICIT_TLS_PORT", "MESSAGING_SMTP_IMPLICIT_TLS_API");

    public string Host { get; }

    public int Port { get; }

    public Uri Api { get; }

    /// <summary>Every mail that arrived carrying this Message-ID header (angle brackets included).</summary>
    public async Task<IReadOnlyList<SinkMail>> MailsWithMessageIdAsync(string messageId)
    {
        var mails = await ReadAsync(new Uri(Api, "email?message-id=" + Uri.EscapeDataString(messageId)));
        return mails.Where(m => m.Headers.TryGetValue("message-id", out var id) && id == messageId).ToList();
    }

    /// <summary>The one mail with this Message-ID; fails if none or several arrived.</summary>
    public async Task<SinkMail> SingleMailAsync(string? messageId)
    {
        messageId.Should().NotBeNullOrEmpty();
        var mails = await MailsWithMessageIdAsync(messageId!);
        mails.Should().ContainSingle($"one mail with Message-ID {messageId} should have arrived");
        return mails[0];
    }

    /// <summary>Every mail sent to this envelope recipient.</summary>
    public async Task<IReadOnlyList<SinkMail>> MailsToAsync(string address)
    {
        var mails = await ReadAsync(new Uri(Api, "email?to=" + Uri.EscapeDataString(address)));
        return mails.Where(m => m.Envelope.To.Contains(address, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>
    /// Reads the sink's mail list. The read is a side-effect-free GET to the test peer's own API (not the SMTP path under
    /// test), so a connection the peer cut off is asked again: once, under CI load on 2 cores, the Python API closed a
    /// connection with no response while a dozen reads arrived at once.
    /// </summary>
    private static async Task<List<SinkMail>> ReadAsync(Uri url)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Http.GetFromJsonAsync<List<SinkMail>>(url) ?? [];
            }
            catch (HttpRequestException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Closes every open SMTP connection from the server side, as a relay does when it restarts.</summary>
    public async Task<int> DropConnectionsAsync()
    {
        using var response = await Http.PostAsync(new Uri(Api, "connections/drop"), content: null);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("dropped").GetInt32();
    }
}

internal sealed record SinkAddress(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("address")] string Address);

internal sealed record SinkEnvelope(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] List<string> To);

/// <summary>A mail as the sink's API returns it.</summary>
internal sealed record SinkMail(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("from")] List<SinkAddress> From,
    [property: JsonPropertyName("to")] List<SinkAddress> To,
    [property: JsonPropertyName("envelope")] SinkEnvelope Envelope,
    [property: JsonPropertyName("headers")] Dictionary<string, string> Headers,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("html")] string? Html,
    [property: JsonPropertyName("raw")] string Raw,
    [property: JsonPropertyName("tls")] bool Tls,
    [property: JsonPropertyName("auth")] string? Auth,
    [property: JsonPropertyName("connection")] int Connection);
