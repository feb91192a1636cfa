namespace Messaging.Tests.Support;

/// <summary>Fixed secrets for test hosts only: never a value to copy into a real configuration.</summary>
public static class TestSecrets
{
    /// <summary>A <c>Messaging:LinkKey</c> (base64 of 34 bytes; 32 is the least allowed) for hosts built by tests.</summary>
    public const string LinkKey = "bGluay1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXMhIQ==";
}
