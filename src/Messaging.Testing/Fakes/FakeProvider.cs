using System.Collections.Concurrent;

namespace Messaging.Testing.Fakes;

/// <summary>
/// The shared behaviour of the fake providers: records every request it accepted, and answers with scripted
/// results first (transient or permanent failures, in order) and then with acceptance. Thread-safe.
/// </summary>
/// <typeparam name="TRequest">The request type.</typeparam>
public abstract class FakeProvider<TRequest>
    where TRequest : class
{
    private readonly ConcurrentQueue<ProviderSendResult> _script = new();
    private readonly ConcurrentQueue<TRequest> _accepted = new();
    private int _calls;

    /// <summary>Creates a fake with the given provider name.</summary>
    /// <param name="name">What the SDK records as the provider.</param>
    protected FakeProvider(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The provider name recorded on messages.</summary>
    public string Name { get; }

    /// <summary>The requests accepted so far, in the order they were accepted.</summary>
    public IReadOnlyList<TRequest> Accepted => [.. _accepted];

    /// <summary>How many times the provider was called, accepted or not.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The next calls fail transiently, <paramref name="times"/> times.</summary>
    /// <param name="times">How many calls fail.</param>
    /// <param name="errorCode">The provider error code to report.</param>
    /// <param name="retryAfter">The Retry-After to report, if any.</param>
    public void FailTransiently(int times = 1, string errorCode = "503", TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
        {
            _script.Enqueue(ProviderSendResult.Transient(errorCode, "Scripted transient failure.") with { RetryAfter = retryAfter });
        }
    }

    /// <summary>The next call fails permanently.</summary>
    /// <param name="errorCode">The provider error code to report.</param>
    /// <param name="recipientOptedOut">Whether the failure says the recipient opted out.</param>
    public void FailPermanently(string errorCode = "21211", bool recipientOptedOut = false)
        => _script.Enqueue(ProviderSendResult.Permanent(errorCode, "Scripted permanent failure.") with { RecipientOptedOut = recipientOptedOut });

    /// <summary>Answers one request: the next scripted result, or acceptance with a fresh provider id.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected Task<ProviderSendResult> AnswerAsync(TRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        if (_script.TryDequeue(out var scripted))
        {
            return Task.FromResult(scripted);
        }

        _accepted.Enqueue(request);
        return Task.FromResult(ProviderSendResult.Accepted($"{Name}-{Guid.NewGuid():N}") with { RawStatus = "queued" });
    }
}

/// <summary>A recording SMS provider for tests.</summary>
public sealed class FakeSmsProvider : FakeProvider<SmsSendRequest>, ISmsProvider
{
    /// <summary>Creates a fake SMS provider.</summary>
    /// <param name="name">The provider name. The default value is <c>fake-sms</c>.</param>
    public FakeSmsProvider(string name = "fake-sms")
        : base(name)
    {
    }

    /// <inheritdoc />
    public Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default) => AnswerAsync(request, cancellationToken);
}

/// <summary>A recording email provider for tests.</summary>
public sealed class FakeEmailProvider : FakeProvider<EmailSendRequest>, IEmailProvider
{
    /// <summary>Creates a fake email provider.</summary>
    /// <param name="name">The provider name. The default value is <c>fake-email</c>.</param>
    public FakeEmailProvider(string name = "fake-email")
        : base(name)
    {
    }

    /// <inheritdoc />
    public Task<ProviderSendResult> SendAsync(EmailSendRequest request, CancellationToken cancellationToken = default) => AnswerAsync(request, cancellationToken);
}
