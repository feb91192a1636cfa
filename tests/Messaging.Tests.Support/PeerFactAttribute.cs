namespace Messaging.Testing.Peers;

/// <summary>
/// A test that talks to a real peer (PostgreSQL, SMTP server, Twilio mock, Chromium) whose address is in an
/// environment variable set by <c>tools/test.sh</c>. Without the variable the test is skipped with a reason,
/// unless <c>MESSAGING_PEERS_REQUIRED=1</c> (as in CI), where it runs and fails loudly instead of hiding.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PeerFactAttribute : FactAttribute
{
    public PeerFactAttribute(string environmentVariable)
    {
        EnvironmentVariable = environmentVariable;
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(environmentVariable)) && !Peers.Required)
        {
            Skip = $"{environmentVariable} is not set: run `bash tools/test.sh` to start the real peer.";
        }
    }

    public string EnvironmentVariable { get; }
}
