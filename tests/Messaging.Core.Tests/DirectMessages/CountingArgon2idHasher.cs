namespace Messaging.Tests.DirectMessages;

/// <summary>Wraps a real hasher and counts, independently of the SDK, how many computations run and overlap.</summary>
internal sealed class CountingArgon2idHasher(IArgon2idHasher inner, TimeSpan holdFor) : IArgon2idHasher
{
    private readonly object _gate = new();
    private int _running;
    private int _peak;
    private int _calls;

    public int Peak => Volatile.Read(ref _peak);

    public int Calls => Volatile.Read(ref _calls);

    public void Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output)
    {
        Interlocked.Increment(ref _calls);
        var running = Interlocked.Increment(ref _running);
        lock (_gate)
        {
            _peak = Math.Max(_peak, running);
        }

        try
        {
            Thread.Sleep(holdFor); // widen the window in which a missing limit would show
            inner.Hash(password, salt, parameters, output);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
