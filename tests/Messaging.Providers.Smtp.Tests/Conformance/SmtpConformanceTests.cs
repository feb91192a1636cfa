using System.Reflection;
using Messaging.Providers.Smtp.Tests.Support;
using Messaging.Testing.Peers;
using Messaging.Testing.Providers;
using Microsoft.Extensions.Logging;

namespace Messaging.Providers.Smtp.Tests.Conformance;

/// <summary>
/// The provider conformance kit (Messaging.Testing) against the SMTP provider and a real SMTP server
/// (tools/peers/smtp_sink.py, started by tools/peers/start-smtp.sh; its STARTTLS instance, with AUTH): it accepts ordinary recipients and refuses
/// <c>@tempfail.invalid</c> with 451 and <c>@refused.invalid</c> with 550; a listener that never greets stands in for a
/// relay that hangs. SMTP has no webhooks, so only the email suite applies.
/// </summary>
[SmtpSinkPeer]
[CannotAnswer(ProviderAnswer.Throttle, "SMTP has no Retry-After: a relay that throttles answers 421 or 4xx, which the transient test covers.")]
public sealed class SmtpEmailProviderConformanceTests : EmailProviderConformanceTests, IAsyncLifetime
{
    private readonly List<SmtpEmailProvider> _providers = [];
    private readonly List<SilentServer> _silent = [];

    /// <summary>The sink's login (the provider sends over STARTTLS with AUTH), so the kit proves the password is never logged.</summary>
    protected override IReadOnlyCollection<string> Credentials => [Peers.Get(SmtpSink.Password)];

    protected override Task<IEmailProvider> CreateProviderAsync(ProviderAnswer answer, ILoggerProvider logs)
    {
        var logger = logs.CreateLogger(typeof(SmtpEmailProvider).FullName!);
        SmtpEmailProvider provider;
        if (answer is ProviderAnswer.TimeOut or ProviderAnswer.Hang)
        {
            var silent = new SilentServer();
            _silent.Add(silent);
            provider = TestProviders.Create(
                TestProviders.Options("127.0.0.1", silent.Port, o => o.Timeout = answer == ProviderAnswer.TimeOut ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(5)),
                logger: logger);
        }
        else
        {
            provider = TestProviders.ForSink(
                SmtpSink.StartTls(),
                o =>
                {
                    o.TlsMode = SmtpTlsMode.StartTls;
                    o.UserName = Peers.Get(SmtpSink.User);
                    o.Password = Peers.Get(SmtpSink.Password);
                    o.AllowInvalidCertificates = true; // the sink's throwaway self-signed certificate
                },
                logger: logger);
        }

        _providers.Add(provider);
        return Task.FromResult<IEmailProvider>(provider);
    }

    /// <summary>The kit's request, sent to a domain the sink refuses for the failures (same local part, so it is searched for too).</summary>
    protected override EmailSendRequest CreateRequest(ProviderAnswer answer)
    {
        var request = base.CreateRequest(answer);
        var local = request.To.Value[..request.To.Value.IndexOf('@', StringComparison.Ordinal)];
        return answer switch
        {
            ProviderAnswer.FailTransiently => request with { To = EmailAddress.Parse($"{local}@tempfail.invalid") },
            ProviderAnswer.FailPermanently => request with { To = EmailAddress.Parse($"{local}@refused.invalid") },
            _ => request,
        };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _silent.ForEach(s => s.Dispose());
    }
}

/// <summary>Skips the class where the SMTP sink is not running (unless peers are required, as in CI).</summary>
public sealed class SmtpSinkPeerAttribute : ProviderConditionAttribute
{
    public override string? SkipReason(IReadOnlyCollection<ProviderAnswer> answers)
        => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SmtpSink.HostVariable)) && !Peers.Required
            ? $"{SmtpSink.HostVariable} is not set: run `bash tools/test.sh` (or tools/peers/start-smtp.sh) to start the SMTP sink."
            : null;
}

public sealed class SmtpConformanceCoverageTests
{
    [Fact]
    public void Every_suite_of_the_kit_for_an_email_provider_runs_against_SMTP()
        => ProviderConformance.MissingSuites(Assembly.GetExecutingAssembly(), "Smtp", [typeof(IEmailProvider)]).Should().BeEmpty();
}
