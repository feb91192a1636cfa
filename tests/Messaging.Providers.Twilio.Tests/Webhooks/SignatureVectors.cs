namespace Messaging.Providers.Twilio.Tests;

/// <summary>
/// Published test vectors, used verbatim. Auth token <c>12345</c> throughout.
/// <list type="bullet">
/// <item>Twilio's "Validate incoming requests" documentation (twilio-php's validation guide and the webhooks security page).</item>
/// <item>twilio-csharp <c>test/Twilio.Test/Security/RequestValidatorTest.cs</c> (port, case and credential variants; JSON body).</item>
/// <item>twilio-python / twilio-php (a repeated parameter name; user info in the URL).</item>
/// </list>
/// </summary>
internal static class SignatureVectors
{
    public const string AuthToken = "12345";
    public const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    public const string Body = "{\"property\": \"value\", \"boolean\": true}";
    public const string BodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

    /// <summary>The documentation's parameters, deliberately out of order (as in twilio-csharp's test).</summary>
    public static readonly KeyValuePair<string, string>[] DocsParameters =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("From", "+14158675309"),
        new("Digits", "1234"),
        new("To", "+18005551212"),
        new("Caller", "+14158675309"),
    ];

    /// <summary>The current webhooks security page's parameters, whose signature is <c>0/KCTR6DLpKmkAf8muzZqo1nDgQ=</c>.</summary>
    public static readonly KeyValuePair<string, string>[] CurrentDocsParameters =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+12349013030"),
        new("Digits", "1234"),
        new("From", "+12349013030"),
        new("To", "+18005551212"),
    ];
}
