using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Providers.Smtp.Tests.Support;

/// <summary>Builds providers the way the DI registration does, with a fake clock and a capturing logger.</summary>
internal static class TestProviders
{
    public static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 9, 30, 15);

    public static SmtpEmailOptions Options(string host, int port, Action<SmtpEmailOptions>? configure = null)
    {
        var options = new SmtpEmailOptions
        {
            Host = host,
            Port = port,
            TlsMode = SmtpTlsMode.None,
            FromAddress = "clinic@riverside.nhs.test",
            FromName = "Riverside Clinic",
            Timeout = TimeSpan.FromSeconds(30), // generous: the sinks share 2 cores with parallel test projects in CI
        };
        configure?.Invoke(options);
        return options;
    }

    public static SmtpEmailProvider Create(SmtpEmailOptions options, IClock? clock = null, ILogger? logger = null)
        => new(Microsoft.Extensions.Options.Options.Create(options), clock ?? new FakeClock(Now), logger, static () => new SmtpClient());

    public static SmtpEmailProvider ForSink(SmtpSink sink, Action<SmtpEmailOptions>? configure = null, IClock? clock = null, ILogger? logger = null)
        => Create(Options(sink.Host, sink.Port, configure), clock, logger);

    /// <summary>A request with a fresh idempotency key and a recipient the sink accepts.</summary>
    public static EmailSendRequest Request(string? to = null, string? html = "<p>Hello</p>")
        => new(EmailAddress.Parse(to ?? $"patient.{Guid.NewGuid():N}@example.test"), "Your appointment", "Hello", Guid.NewGuid().ToString("N"))
        {
            HtmlBody = html,
        };
}
