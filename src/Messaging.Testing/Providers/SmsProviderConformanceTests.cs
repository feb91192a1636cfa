using Microsoft.Extensions.Logging;

namespace Messaging.Testing.Providers;

/// <summary>
/// The conformance suite of an <see cref="ISmsProvider"/>: accepted sends carry the provider's id; server errors,
/// throttling and timeouts are transient (with the <c>Retry-After</c> asked for); refused recipients are permanent;
/// cancellation ends a send promptly; no phone number, body or credential is ever logged or put in an error (R22).
/// </summary>
/// <remarks>
/// <para>Derive one class in your test project and implement the harness: <see cref="CreateProviderAsync"/> makes your
/// provider, pointed at a test server of yours that gives the <see cref="ProviderAnswer"/> asked for, logging to the
/// kit's logger provider; <see cref="Credentials"/> lists the secrets it was given. Mark answers your provider cannot
/// give with <see cref="CannotAnswerAttribute"/>.</para>
/// <para>Each test creates its own provider (and server answer), so tests run independently and in any order.</para>
/// </remarks>
public abstract class SmsProviderConformanceTests
{
    /// <summary>The patient's mobile in the kit's requests (an Ofcom drama number).</summary>
    private static readonly PhoneNumber Mobile = PhoneNumber.FromE164("+447700900461");

    /// <summary>The body of the kit's requests: patient data, to be found in no log line.</summary>
    private const string Body = "Dear Ms Okafor, your colposcopy with Dr Patel is on Tuesday 14 March at 10:40 (ref 9F3K).";

    private readonly SendChecks<SmsSendRequest> _checks;

    /// <summary>Creates the suite.</summary>
    protected SmsProviderConformanceTests()
        => _checks = new(
            async (answer, logs) =>
            {
                var provider = await CreateProviderAsync(answer, logs);
                return provider.SendAsync;
            },
            CreateRequest,
            static r => new PatientData().Phone("the recipient's number", r.To).Text("the body", r.Body),
            () => Credentials);

    /// <summary>
    /// Makes the provider under test, pointed at your test server, which answers the next send as <paramref name="answer"/>
    /// says. Called once or more per test; dispose what you make when your test class is disposed.
    /// </summary>
    /// <param name="answer">How the server answers. For <see cref="ProviderAnswer.TimeOut"/>, give the provider a short timeout (about a second).</param>
    /// <param name="logs">The kit's logger provider: the provider must log through it (e.g. <c>AddLogging(b => b.AddProvider(logs))</c>).</param>
    protected abstract Task<ISmsProvider> CreateProviderAsync(ProviderAnswer answer, ILoggerProvider logs);

    /// <summary>The secrets the provider was created with (auth token, API key secret, password): none may appear in a log or an error.</summary>
    protected abstract IReadOnlyCollection<string> Credentials { get; }

    /// <summary>
    /// The one place the suite builds its requests: a fresh idempotency key, and the kit's patient number and body, which
    /// the tests then search for. Override to adjust a request for your server (e.g. a recipient it refuses for
    /// <see cref="ProviderAnswer.FailPermanently"/>), starting from the base's request.
    /// </summary>
    /// <param name="answer">The answer the request is sent for.</param>
    protected virtual SmsSendRequest CreateRequest(ProviderAnswer answer) => new(Mobile, Body, $"conformance-{Guid.NewGuid():N}");

    /// <summary>An accepted send returns the provider's id for the message, and no error.</summary>
    [ProviderFact(ProviderAnswer.Accept)]
    public Task An_accepted_send_returns_the_providers_message_id() => _checks.AcceptedAsync();

    /// <summary>A server error (HTTP 5xx) is a transient failure with an error code and a description.</summary>
    [ProviderFact(ProviderAnswer.FailTransiently)]
    public Task A_server_error_is_a_transient_failure() => _checks.TransientAsync(ProviderAnswer.FailTransiently);

    /// <summary>Throttling (HTTP 429) is transient and carries the <c>Retry-After</c> the server asked for.</summary>
    [ProviderFact(ProviderAnswer.Throttle)]
    public Task Throttling_is_transient_and_carries_the_retry_after_asked_for() => _checks.ThrottledAsync();

    /// <summary>A server that does not answer within the provider's timeout gives a transient failure, not a hang or an exception.</summary>
    [ProviderFact(ProviderAnswer.TimeOut)]
    public Task A_timeout_is_a_transient_failure() => _checks.TransientAsync(ProviderAnswer.TimeOut);

    /// <summary>A refused recipient (e.g. an invalid number) is a permanent failure, with no Retry-After.</summary>
    [ProviderFact(ProviderAnswer.FailPermanently)]
    public Task A_refused_recipient_is_a_permanent_failure() => _checks.PermanentAsync();

    /// <summary>Cancelling the token of a send the server is sitting on ends it promptly with <see cref="OperationCanceledException"/>.</summary>
    [ProviderFact(ProviderAnswer.Hang)]
    public Task A_cancelled_send_ends_promptly_with_OperationCanceledException() => _checks.CancelledWhileWaitingAsync();

    /// <summary>A send with an already cancelled token throws <see cref="OperationCanceledException"/>; nothing is reported accepted.</summary>
    [ProviderFact(ProviderAnswer.Accept)]
    public Task A_send_with_a_cancelled_token_throws_and_is_not_accepted() => _checks.AlreadyCancelledAsync();

    /// <summary>
    /// For every answer the provider can give: no log line, error description or exception carries the number, the body
    /// or a credential.
    /// </summary>
    [ProviderFact]
    public Task No_patient_data_or_credential_in_logs_results_or_exceptions() => _checks.NoPatientDataAsync(this);
}
