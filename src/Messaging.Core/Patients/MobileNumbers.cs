using Microsoft.Extensions.Options;
using PhoneNumbers;

namespace Messaging.Patients;

/// <summary>Reads a mobile number as typed (national or international form) into E.164, with libphonenumber (R4).</summary>
internal sealed class MobileNumbers(IOptions<PatientMessagingOptions> options)
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private readonly string _region = options.Value.DefaultPhoneRegion;

    /// <summary>The number in E.164, if it is a valid mobile number.</summary>
    /// <exception cref="MessagingValidationException">Not a valid mobile number (the message does not repeat it).</exception>
    public PhoneNumber Parse(string input, string field = "mobile")
    {
        PhoneNumbers.PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(input, _region);
        }
        catch (NumberParseException)
        {
            throw Invalid(field);
        }

        var type = Util.GetNumberType(parsed);
        if (!Util.IsValidNumber(parsed) || type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            throw Invalid(field);
        }

        return Messaging.PhoneNumber.FromE164(Util.Format(parsed, PhoneNumberFormat.E164));
    }

    private static MessagingValidationException Invalid(string field)
        => new(MessagingErrorCodes.InvalidPhoneNumber, "The mobile number is not a valid mobile phone number.", field);
}
