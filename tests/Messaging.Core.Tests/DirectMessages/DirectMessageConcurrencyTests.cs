using Messaging.DirectMessages;
using static Messaging.Tests.DirectMessages.DirectMessageWorld;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.DirectMessages;

public sealed class DirectMessageConcurrencyTests
{
    [Fact]
    public async Task Two_concurrent_wrong_codes_both_count()
    {
        var gated = new GatedArgon2idHasher(new KonsciousArgon2idHasher());
        await using var world = await DmWorldAsync(gated);
        var (dm, token, code) = await SendAndDeliverAsync(world);
        gated.HoldUntil(arrivals: 2); // both attempts have read the record before either can record its failure

        var results = await Task.WhenAll(
            Task.Run(() => world.DirectMessages().UnlockAsync(token, WrongCode(code))),
            Task.Run(() => world.DirectMessages().UnlockAsync(token, WrongCode(code) + "X")));

        results.Select(r => r.AttemptsLeft).Should().BeEquivalentTo([4, 3]);
        results.Should().OnlyContain(r => r.Status == DirectMessageUnlockStatus.WrongCode);
        (await StoredAsync(world, dm.Id)).FailedAttempts.Should().Be(2);
        gated.CallsSinceHold.Should().Be(2, "the attempt that lost the race reuses its Argon2id result, the code hash being unchanged");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Two_hundred_concurrent_wrong_codes_lock_after_exactly_five_and_stay_within_the_argon2_bound(int bound)
    {
        var counting = new CountingArgon2idHasher(new KonsciousArgon2idHasher(), holdFor: TimeSpan.FromMilliseconds(1));
        await using var world = await DmWorldAsync(counting, maxConcurrentHashes: bound);
        var (dm, token, code) = await SendAndDeliverAsync(world);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => world.DirectMessages().UnlockAsync(token, WrongCode(code)))));

        results.Count(r => r.Status == DirectMessageUnlockStatus.WrongCode).Should().Be(4);
        results.Count(r => r.Status == DirectMessageUnlockStatus.Locked).Should().Be(196);
        var stored = await StoredAsync(world, dm.Id);
        stored.FailedAttempts.Should().Be(5);
        stored.LockedAt.Should().NotBeNull();
        counting.Peak.Should().BeInRange(1, bound);
        counting.Calls.Should().BeInRange(2, 201, "one hash for the code, then at most one check per attempt");
    }

    [Fact]
    public async Task Two_hundred_concurrent_right_codes_all_unlock_within_the_argon2_bound()
    {
        var counting = new CountingArgon2idHasher(new KonsciousArgon2idHasher(), holdFor: TimeSpan.FromMilliseconds(1));
        await using var world = await DmWorldAsync(counting, maxConcurrentHashes: 2);
        var (dm, token, code) = await SendAndDeliverAsync(world);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => world.DirectMessages().UnlockAsync(token, code))));

        results.Should().OnlyContain(r => r.Status == DirectMessageUnlockStatus.Unlocked);
        counting.Peak.Should().BeInRange(1, 2);
        var trail = await world.DirectMessages().GetAuditTrailAsync(Bob, dm.Id);
        trail.Count(e => e.Action == AuditAction.DirectMessageUnlocked).Should().Be(200);
    }

    /// <summary>Once told to, holds each computation until the given number have arrived, so concurrent attempts overlap for sure.</summary>
    private sealed class GatedArgon2idHasher(IArgon2idHasher inner) : IArgon2idHasher
    {
        private CountdownEvent? _gate;
        private int _calls;

        public int CallsSinceHold => Volatile.Read(ref _calls);

        public void HoldUntil(int arrivals)
        {
            Volatile.Write(ref _calls, 0);
            Volatile.Write(ref _gate, new CountdownEvent(arrivals));
        }

        public void Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output)
        {
            Interlocked.Increment(ref _calls);
            if (Volatile.Read(ref _gate) is { } gate && !gate.IsSet)
            {
                gate.Signal();
                gate.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue("the other attempt should arrive");
            }

            inner.Hash(password, salt, parameters, output);
        }
    }
}
