using System.Diagnostics;
using System.Reflection;
using Xunit;

namespace Messaging.Testing.Providers;

/// <summary>
/// The checks the SMS and email suites share, written once over the provider's send as a delegate: the contract of
/// <see cref="ISmsProvider"/> and <see cref="IEmailProvider"/> is the same (failures returned, not thrown; cancellation
/// thrown; nothing personal logged).
/// </summary>
/// <typeparam name="TRequest">The request type.</typeparam>
internal sealed class SendChecks<TRequest>(
    Func<ProviderAnswer, CapturedLogs, Task<Func<TRequest, CancellationToken, Task<ProviderSendResult>>>> create,
    Func<ProviderAnswer, TRequest> request,
    Func<TRequest, PatientData> patientData,
    Func<IReadOnlyCollection<string>> credentials)
    where TRequest : class
{
    /// <summary>Longest any send may take before the test fails instead of hanging the run.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    /// <summary>How promptly a cancelled send must end.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    public async Task AcceptedAsync()
    {
        var result = await SendAsync(ProviderAnswer.Accept);
        Assert.True(result.Succeeded, $"The send should be accepted, but failed {result.Failure} ({result.ErrorCode}: {result.ErrorDescription}).");
        Assert.Equal(ProviderFailureKind.None, result.Failure);
        Assert.False(string.IsNullOrWhiteSpace(result.ProviderMessageId), "An accepted send carries the provider's id for the message: delivery reports find the message by it.");
        Assert.Null(result.ErrorCode);
        Assert.False(result.RecipientOptedOut);
    }

    public async Task TransientAsync(ProviderAnswer answer)
    {
        var result = await SendAsync(answer);
        Assert.True(
            result.Failure == ProviderFailureKind.Transient,
            $"{answer} should be a transient failure (the outbox retries it), but was {result.Failure} ({result.ErrorCode}).");
        AssertFailure(result);
    }

    public async Task ThrottledAsync()
    {
        var result = await SendAsync(ProviderAnswer.Throttle);
        Assert.Equal(ProviderFailureKind.Transient, result.Failure);
        AssertFailure(result);
        Assert.True(result.RetryAfter is not null, "A throttled send carries the wait the provider asked for in RetryAfter; the outbox waits at least that long.");
        Assert.InRange(result.RetryAfter!.Value, ProviderConformance.RetryAfter - TimeSpan.FromSeconds(1), ProviderConformance.RetryAfter);
    }

    public async Task PermanentAsync()
    {
        var result = await SendAsync(ProviderAnswer.FailPermanently);
        Assert.True(
            result.Failure == ProviderFailureKind.Permanent,
            $"A refused recipient should be a permanent failure (retrying will not help), but was {result.Failure} ({result.ErrorCode}).");
        AssertFailure(result);
        Assert.Null(result.RetryAfter);
    }

    public async Task CancelledWhileWaitingAsync()
    {
        using var logs = new CapturedLogs();
        var send = await create(ProviderAnswer.Hang, logs);
        using var cancel = new CancellationTokenSource();
        var call = send(request(ProviderAnswer.Hang), cancel.Token);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(call.IsCompleted, "With the server hanging, the send should still be waiting when the caller cancels.");

        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            try
            {
                await call.WaitAsync(Prompt);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"The send did not end within {Prompt.TotalSeconds} s of its token being cancelled.");
            }
        });
        Assert.True(clock.Elapsed < Prompt, $"A cancelled send must end promptly; it took {clock.Elapsed}.");
    }

    public async Task AlreadyCancelledAsync()
    {
        using var logs = new CapturedLogs();
        var send = await create(ProviderAnswer.Accept, logs);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            var call = send(request(ProviderAnswer.Accept), cancel.Token);
            var result = await call.WaitAsync(Prompt);
            Assert.Fail($"A send with a cancelled token must throw OperationCanceledException, not report {(result.Succeeded ? "acceptance" : result.Failure.ToString())}.");
        });
    }

    public async Task NoPatientDataAsync(object suiteInstance)
    {
        ArgumentNullException.ThrowIfNull(suiteInstance);
        foreach (var answer in PossibleAnswers(suiteInstance.GetType()))
        {
            using var logs = new CapturedLogs();
            var send = await create(answer, logs);
            var message = request(answer);
            var probes = patientData(message).Credentials(credentials());
            if (answer == ProviderAnswer.Hang)
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send(message, cancel.Token).WaitAsync(Guard));
                probes.AssertAbsentFrom(error);
            }
            else
            {
                var result = await send(message, CancellationToken.None).WaitAsync(Guard);
                probes.AssertAbsentFrom(result);
            }

            probes.AssertAbsentFromLogs(logs);
        }
    }

    /// <summary>Every answer no condition of the concrete class rules out.</summary>
    private static IEnumerable<ProviderAnswer> PossibleAnswers(Type concrete)
    {
        var conditions = concrete.GetCustomAttributes<ProviderConditionAttribute>(inherit: true).ToList();
        return Enum.GetValues<ProviderAnswer>().Where(a => conditions.All(c => c.SkipReason([a]) is null));
    }

    private static void AssertFailure(ProviderSendResult result)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.ProviderMessageId);
        Assert.False(string.IsNullOrWhiteSpace(result.ErrorCode), "A failure carries an error code (the provider's own, or a stable one of the provider package's) that is kept with the message.");
        Assert.False(string.IsNullOrWhiteSpace(result.ErrorDescription), "A failure carries a description for operators.");
    }

    private async Task<ProviderSendResult> SendAsync(ProviderAnswer answer)
    {
        using var logs = new CapturedLogs();
        var send = await create(answer, logs);
        var message = request(answer);
        var result = await send(message, CancellationToken.None).WaitAsync(Guard);
        var probes = patientData(message).Credentials(credentials());
        probes.AssertAbsentFrom(result);
        probes.AssertAbsentFromLogs(logs);
        return result;
    }
}
