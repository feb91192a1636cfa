using Messaging.DirectMessages;
using static Messaging.Tests.DirectMessages.AccessCodeTestSupport;

namespace Messaging.Tests.DirectMessages;

public sealed class AccessCodeHashingLimitTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Two_hundred_concurrent_verifies_all_complete_without_exceeding_the_concurrency_limit(int limit)
    {
        var counting = new CountingArgon2idHasher(new KonsciousArgon2idHasher(), holdFor: TimeSpan.FromMilliseconds(2));
        var options = Options(maxConcurrent: limit);
        using var hasher = Hasher(options, counting);
        var stored = await hasher.HashAsync("ACDE7H9K");

        var verifies = Enumerable.Range(0, 200)
            .Select(i => Task.Run(async () => await hasher.VerifyAsync(i % 2 == 0 ? "ACDE7H9K" : "ACDE7H9L", stored)))
            .ToArray();
        var results = await Task.WhenAll(verifies);

        results.Count(r => r).Should().Be(100);
        results.Count(r => !r).Should().Be(100);
        counting.Calls.Should().Be(201);
        counting.Peak.Should().BeInRange(1, limit);
        hasher.PeakConcurrentComputations.Should().Be(counting.Peak);
    }

    [Fact]
    public async Task A_caller_that_finds_every_slot_busy_past_the_queue_timeout_gets_the_busy_error()
    {
        using var release = new ManualResetEventSlim();
        var blocking = new BlockingHasher(release);
        using var hasher = Hasher(Options(maxConcurrent: 1, queueTimeout: TimeSpan.FromMilliseconds(100)), blocking);
        var first = Task.Run(async () => await hasher.HashAsync("ACDE7H9K"));
        blocking.Entered.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();

        var second = async () => await hasher.HashAsync("ACDE7H9K");

        (await second.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be("directmessage.busy");
        release.Set();
        (await first).Hash.Length.Should().Be(32);
    }

    [Fact]
    public async Task A_queued_caller_proceeds_when_a_slot_frees_up_within_the_timeout()
    {
        using var release = new ManualResetEventSlim();
        var blocking = new BlockingHasher(release);
        using var hasher = Hasher(Options(maxConcurrent: 1, queueTimeout: TimeSpan.FromSeconds(30)), blocking);
        var first = Task.Run(async () => await hasher.HashAsync("ACDE7H9K"));
        blocking.Entered.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();

        var second = Task.Run(async () => await hasher.HashAsync("ACDE7H9K"));
        await Task.Delay(50);
        second.IsCompleted.Should().BeFalse("the only slot is taken");
        release.Set();

        (await second).Hash.Length.Should().Be(32);
        (await first).Hash.Length.Should().Be(32);
        hasher.PeakConcurrentComputations.Should().Be(1);
    }

    [Fact]
    public async Task A_queued_caller_can_cancel_its_wait()
    {
        using var release = new ManualResetEventSlim();
        var blocking = new BlockingHasher(release);
        using var hasher = Hasher(Options(maxConcurrent: 1, queueTimeout: TimeSpan.FromSeconds(30)), blocking);
        var first = Task.Run(async () => await hasher.HashAsync("ACDE7H9K"));
        blocking.Entered.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var stored = new HashedAccessCode(new byte[32], new byte[16], Cheap);

        var queued = async () => await hasher.VerifyAsync("ACDE7H9K", stored, cts.Token);

        await queued.Should().ThrowAsync<OperationCanceledException>();
        release.Set();
        await first;
    }

    /// <summary>Holds its slot until released, so a test can fill every slot on purpose.</summary>
    private sealed class BlockingHasher(ManualResetEventSlim release) : IArgon2idHasher
    {
        public ManualResetEventSlim Entered { get; } = new();

        public void Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output)
        {
            Entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            output.Fill(7);
        }
    }
}
