using System.Security.Cryptography;

namespace Messaging.DirectMessages;

/// <summary>
/// Makes the access codes a patient receives by SMS to unlock a Direct Message (R18): easy to read out and type,
/// hard to guess.
/// </summary>
/// <remarks>
/// The alphabet is <see cref="Alphabet"/>: upper-case letters and digits without the look-alike pairs
/// 0/O, 1/I/l, 5/S, 2/Z and 8/B (so no 0 1 2 5 8 B I O S Z, and no lower case at all). That leaves 26 symbols, about
/// 4.7 bits each: an 8-character code has about 37.6 bits, which with the 5-attempt lock (R18) makes guessing hopeless.
/// Each symbol is drawn with <see cref="RandomNumberGenerator.GetInt32(int)"/>, which is uniform (no modulo bias).
/// </remarks>
internal static class AccessCodeGenerator
{
    /// <summary>The symbols a code is made of: no 0/O, 1/I/l, 5/S, 2/Z, 8/B.</summary>
    public const string Alphabet = "ACDEFGHJKLMNPQRTUVWXY34679";

    /// <summary>The shortest code generated.</summary>
    public const int MinLength = 8;

    /// <summary>The longest code generated (codes travel by SMS and are typed by hand).</summary>
    public const int MaxLength = 32;

    /// <summary>Generates a fresh random code.</summary>
    /// <param name="length">Number of symbols, between <see cref="MinLength"/> and <see cref="MaxLength"/>.</param>
    public static string Generate(int length = MinLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxLength);
        return string.Create(length, 0, static (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
    }
}
