using NodaTime;

namespace Messaging.Tests.Patients;

/// <summary>R22: records that carry patient data print ids and states only, so logging one by accident leaks nothing.</summary>
public sealed class RecordPrintingTests
{
    private const string Secret = "Jane Doe 07400 123456 rash";

    public static TheoryData<string, object> Records()
    {
        var phone = PhoneNumber.FromE164("+447400123456");
        var email = EmailAddress.Parse("jane.doe@example.com");
        return new TheoryData<string, object>
        {
            { "SendMessageRequest", new SendMessageRequest { WorkspaceId = new("w"), Channel = MessageChannel.Email, PatientId = new("p"), Body = Secret, Subject = Secret, HtmlBody = Secret } },
            { "SmsSendRequest", new SmsSendRequest(phone, Secret, "key-1") },
            { "EmailSendRequest", new EmailSendRequest(email, Secret, Secret, "key-1") { ToName = Secret, HtmlBody = Secret } },
            { "InboundSms", new InboundSms("twilio", "SM1", phone, phone, Secret) },
            { "ReplyLinkView", new ReplyLinkView(ReplyLinkStatus.Valid, Secret, Secret) },
            { "PatientRegistration", new PatientRegistration { PatientId = new("p"), NhsNumber = "943 476 5919", DateOfBirth = new LocalDate(1970, 3, 14), GivenName = Secret, FamilyName = Secret, Mobile = Secret, Email = Secret } },
            { "AttachmentUpload", new AttachmentUpload(Secret, "application/pdf", Stream.Null) },
        };
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void A_record_with_patient_data_prints_none_of_it(string name, object record)
    {
        var printed = record.ToString();

        printed.Should().StartWith(name);
        foreach (var part in new[] { "Jane", "Doe", "07400", "7400123456", "rash", "943 476 5919", "9434765919", "jane.doe" })
        {
            printed.Should().NotContain(part);
        }
    }
}
