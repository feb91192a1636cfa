namespace Messaging.Testing.Peers;

/// <summary>The theory form of <see cref="PeerFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PeerTheoryAttribute : TheoryAttribute
{
    public PeerTheoryAttribute(string environmentVariable)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(environmentVariable)) && !Peers.Required)
        {
            Skip = $"{environmentVariable} is not set: run `bash tools/test.sh` to start the real peer.";
        }
    }
}
