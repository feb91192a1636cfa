namespace Messaging.Tests.Support;

/// <summary>Makes valid NHS numbers for tests by computing the Modulus 11 check digit independently of the SDK.</summary>
public static class NhsNumbers
{
    public static string Valid(int seed)
    {
        for (var n = 400_000_000 + seed * 7; ; n++)
        {
            var digits = n.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            var sum = 0;
            for (var i = 0; i < 9; i++)
            {
                sum += (digits[i] - '0') * (10 - i);
            }

            var check = (11 - (sum % 11)) % 11;
            if (check != 10)
            {
                return digits + check.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
