using System.Security.Cryptography;
using System.Text;

namespace Messaging.Fhir;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5): the same host id always gives the same <c>urn:uuid</c>, so exports of one
/// patient's record reference the same Patient and Practitioner entries every time, without a random id.
/// </summary>
internal static class NameBasedUuid
{
    // A fixed namespace for this SDK's export (itself a random UUID chosen once).
    private static readonly byte[] Namespace = Guid.Parse("6f1c3c9e-5b1a-4f55-9a57-2f6f0c2d7b41").ToByteArray(bigEndian: true);

    public static Guid Create(string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[Namespace.Length + nameBytes.Length];
        Namespace.CopyTo(input, 0);
        nameBytes.CopyTo(input, Namespace.Length);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version-5 UUIDs; this is naming, not security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
