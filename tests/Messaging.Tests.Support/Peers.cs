namespace Messaging.Testing.Peers;

/// <summary>Reads peer addresses, failing with a clear message when one is required and missing.</summary>
public static class Peers
{
    public static bool Required => Environment.GetEnvironmentVariable("MESSAGING_PEERS_REQUIRED") == "1";

    public static string Get(string environmentVariable)
        => Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{environmentVariable} is not set. Run the suite with `bash tools/test.sh`, which starts the peer.");
}
