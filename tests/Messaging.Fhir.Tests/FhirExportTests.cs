// The FHIR model declares every element nullable; these tests assert on elements they expect to be present.
#nullable disable warnings
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Messaging.Tests.Support.TestWorld;
using R4 = Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Messaging.Fhir.Tests;

public sealed partial class FhirExportTests
{
    private const string NhsDigits = "9434765919";

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("\"reference\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex ReferencePattern();

    private sealed record Thread(TestWorld World, Message Sms, Message Email, MessageId Reply, Message Direct, Message Internal);

    /// <summary>A conversation with a message on every channel: a delivered reply-enabled SMS, an email, the patient's reply, a Direct Message and an internal note.</summary>
    private static async Task<Thread> ThreadAsync(bool sharedInbox = true)
    {
        var world = await CreateAsync(dermatologyHasSharedInbox: sharedInbox, configure: s => s.AddPatientMessaging().AddFhirExport(o => o.StaffIdentifierSystem = new Uri("https://ehr.example.nhs.uk/Id/staff")));
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        var sms = await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Your results are back.", AllowReply = true });
        await world.Dispatcher.DispatchDueAsync();
        var sent = (await world.Store.GetMessageAsync(sms.Id))!;
        await world.Services.GetRequiredService<IDeliveryStatusService>().ApplyAsync(new DeliveryStatusUpdate(sent.ProviderName!, sent.ProviderMessageId!, DeliveryStatus.Delivered, "delivered"));
        var email = await world.Messages.SendAsync(Carol, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Email, ConversationId = sms.ConversationId, Subject = "Your appointment", Body = "See you on Friday.",
        });
        var token = LinkPattern().Match(world.Sms.Accepted[^1].Body).Groups[1].Value;
        var reply = await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, "Thank you!");
        var direct = await world.StoreMessageAsync(sms, MessageChannel.DirectMessage, Bob, "Your letter is attached.");
        var note = await world.StoreMessageAsync(sms, MessageChannel.Internal, Bob, "Carol, can you call her back?");
        return new Thread(world, (await world.Store.GetMessageAsync(sms.Id))!, email, reply.ReplyId!.Value, direct, note);
    }

    private static IFhirExportService Exporter(TestWorld world) => world.Services.GetRequiredService<IFhirExportService>();

    private static Communication Entry(Bundle bundle, Guid id)
        => (Communication)bundle.Entry.Single(e => e.FullUrl == $"urn:uuid:{id:D}").Resource;

    private static bool IsGuid(string text) => Guid.TryParse(text, out _);

    private static IReadOnlyList<string> Problems(Base instance)
        => [.. instance.Validate(ModelInfo.ModelInspector, NarrativeValidationKind.None, new FhirAttributeValidator(), validateRecursively: true).Select(e => e.Message)];

    [Fact]
    public async Task The_export_round_trips_through_the_FHIR_JSON_serializer_and_meets_R4_cardinalities()
    {
        var thread = await ThreadAsync();
        await using var _ = thread.World;

        var bundle = await Exporter(thread.World).ExportConversationAsync(Alice, thread.Sms.ConversationId);
        var json = bundle.ToJson();
        var parsed = new FhirJsonDeserializer().Deserialize<Bundle>(json);

        parsed.ToJson().Should().Be(json);
        parsed.IsExactly(bundle).Should().BeTrue();
        Problems(parsed).Should().BeEmpty();
        var communications = parsed.Entry.Select(e => e.Resource).OfType<Communication>().ToList();
        communications.Should().HaveCount(6, "a thread header and five messages");
        communications.Should().OnlyContain(c => c.Status != null && c.Subject != null && c.Identifier.Count == 1);
        communications.Skip(1).Should().OnlyContain(c => c.Payload.Count > 0 && c.Payload.All(p => p.Content != null));
    }

    [Fact]
    public async Task The_R4_validation_used_here_does_catch_a_missing_status_and_an_empty_payload()
    {
        var thread = await ThreadAsync();
        await using var _ = thread.World;
        var bundle = await Exporter(thread.World).ExportConversationAsync(Alice, thread.Sms.ConversationId);

        var broken = Entry(bundle, thread.Email.Id.Value);
        broken.Status = null;
        broken.Payload.Add(new Communication.PayloadComponent());

        Problems(bundle).Should().Contain(p => p.Contains("resource.status' with minimum cardinality 1", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("resource.payload[1].content' with minimum cardinality 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_reference_resolves_to_an_entry_of_the_bundle()
    {
        var thread = await ThreadAsync();
        await using var _ = thread.World;

        var json = (await Exporter(thread.World).ExportConversationAsync(Alice, thread.Sms.ConversationId)).ToJson();
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(json);

        var fullUrls = bundle.Entry.Select(e => e.FullUrl).ToList();
        fullUrls.Should().OnlyHaveUniqueItems().And.OnlyContain(u => u.StartsWith("urn:uuid:", StringComparison.Ordinal) && IsGuid(u.Substring(9)));
        var references = ReferencePattern().Matches(json).Select(m => m.Groups[1].Value).ToList();
        references.Should().HaveCountGreaterThan(20).And.OnlyContain(r => fullUrls.Contains(r));
        bundle.Entry.Select(e => e.Resource.TypeName).Should().Equal("Patient", "Practitioner", "Practitioner", "Communication", "Communication", "Communication", "Communication", "Communication", "Communication");
    }

    [Fact]
    public async Task A_conversation_is_a_header_with_one_communication_per_message_oldest_first_and_the_reply_in_response_to_its_message()
    {
        var thread = await ThreadAsync();
        await using var _ = thread.World;
        var bundle = await Exporter(thread.World).ExportConversationAsync(Alice, thread.Sms.ConversationId);

        var headerUrl = $"urn:uuid:{thread.Sms.ConversationId.Value:D}";
        var communications = bundle.Entry.Where(e => e.Resource is Communication).ToList();
        communications[0].FullUrl.Should().Be(headerUrl);
        communications.Skip(1).Select(e => e.FullUrl).Should().Equal(
            new[] { thread.Sms.Id.Value, thread.Email.Id.Value, thread.Reply.Value, thread.Direct.Id.Value, thread.Internal.Id.Value }.Select(id => $"urn:uuid:{id:D}"));
        communications.Skip(1).Select(e => (Communication)e.Resource).Should().OnlyContain(c => c.PartOf.Single().Reference == headerUrl);
        var header = (Communication)communications[0].Resource;
        header.PartOf.Should().BeEmpty();
        header.Status.Should().Be(EventStatus.InProgress);

        var reply = Entry(bundle, thread.Reply.Value);
        reply.InResponseTo.Single().Reference.Should().Be($"urn:uuid:{thread.Sms.Id.Value:D}");
        reply.Sender.Reference.Should().Be(reply.Subject.Reference, "the patient sent it");
        reply.Recipient.Single().Display.Should().Be("Bob Brown", "it answers Bob's message");
        reply.Status.Should().Be(EventStatus.Completed);
        reply.Received.Should().NotBeNull();
        ((FhirString)reply.Payload.Single().Content).Value.Should().Be("Thank you!");
        bundle.Entry.Select(e => e.Resource).OfType<Communication>().Where(c => c != reply).Should().OnlyContain(c => c.InResponseTo.Count == 0);
    }

    [Fact]
    public async Task The_subject_is_the_patient_by_NHS_number_and_senders_and_recipients_are_staff_or_patient()
    {
        var thread = await ThreadAsync();
        await using var _ = thread.World;
        var bundle = await Exporter(thread.World).ExportConversationAsync(Alice, thread.Sms.ConversationId);

        var patientEntry = bundle.Entry.Single(e => e.Resource is R4.Patient);
        var patient = (R4.Patient)patientEntry.Resource;
        patient.Identifier.Should().ContainSingle().Which.Should().Match<Identifier>(i => i.System == "https://fhir.nhs.uk/Id/nhs-number" && i.Value == NhsDigits);
        patient.BirthDate.Should().Be("1970-03-14");
        bundle.Entry.Select(e => e.Resource).OfType<Communication>().Should().OnlyContain(c => c.Subject.Reference == patientEntry.FullUrl);

        var practitioners = bundle.Entry.Where(e => e.Resource is Practitioner).ToDictionary(e => ((Practitioner)e.Resource).Identifier.Single().Value, e => e.FullUrl);
        practitioners.Keys.Should().BeEquivalentTo("bob", "carol");
        bundle.Entry.Select(e => e.Resource).OfType<Practitioner>().Should().OnlyContain(p => p.Identifier.Single().System == "https://ehr.example.nhs.uk/Id/staff");

        var sms = Entry(bundle, thread.Sms.Id.Value);
        sms.Sender.Reference.Should().Be(practitioners["bob"]);
        sms.Recipient.Single().Reference.Should().Be(patientEntry.FullUrl);
        var email = Entry(bundle, thread.Email.Id.Value);
        email.Sender.Should().Match<ResourceReference>(r => r.Reference == practitioners["carol"] && r.Display == "Carol Clark");
        email.Topic.Text.Should().Be("Your appointment");
        var note = Entry(bundle, thread.Internal.Id.Value);
        note.Recipient.Single().Reference.Should().Be(practitioners["carol"], "an internal note goes to a colleague, about the patient");
    }

    [Fact]
    public async Task Every_channel_has_its_medium_status_and_times()
    {
        var thread = await ThreadAsync();
        await using var _ = thread.World;
        var bundle = await Exporter(thread.World).ExportConversationAsync(Alice, thread.Sms.ConversationId);

        var expected = new (Guid Id, string Channel, string Code, EventStatus Status)[]
        {
            (thread.Sms.Id.Value, "sms", "WRITTEN", EventStatus.Completed),
            (thread.Email.Id.Value, "email", "EMAILWRIT", EventStatus.Preparation),
            (thread.Reply.Value, "sms", "ONLINEWRIT", EventStatus.Completed),
            (thread.Direct.Id.Value, "direct", "ONLINEWRIT", EventStatus.Completed),
            (thread.Internal.Id.Value, "internal", "ONLINEWRIT", EventStatus.Completed),
        };
        foreach (var (id, channel, code, status) in expected)
        {
            var communication = Entry(bundle, id);
            var medium = communication.Medium.Single();
            medium.Text.Should().Be(channel);
            medium.Coding.Single().Should().Match<Coding>(c => c.System == "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode" && c.Code == code);
            communication.Status.Should().Be(status, channel);
            communication.Sent.Should().NotBeNull(channel);
        }

        var sms = Entry(bundle, thread.Sms.Id.Value);
        sms.SentElement.ToDateTimeOffset(TimeSpan.Zero).Should().Be(thread.Sms.CreatedAt.ToDateTimeOffset());
        sms.ReceivedElement.ToDateTimeOffset(TimeSpan.Zero).Should().Be(thread.Sms.UpdatedAt.ToDateTimeOffset(), "received when the delivery report came");
        Entry(bundle, thread.Email.Id.Value).Received.Should().BeNull("no delivery report yet");
    }

    [Fact]
    public async Task A_failed_message_is_not_done_with_the_providers_code_and_no_sent_time()
    {
        await using var world = await CreateAsync(configure: s => s.AddPatientMessaging().AddFhirExport());
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        world.Sms.FailPermanently("21211");
        var message = await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Hello" });
        await world.Dispatcher.DispatchDueAsync();

        var bundle = await Exporter(world).ExportConversationAsync(Bob, message.ConversationId);

        var failed = Entry(bundle, message.Id.Value);
        failed.Status.Should().Be(EventStatus.NotDone);
        failed.StatusReason.Text.Should().Contain("21211");
        failed.Sent.Should().BeNull();
        Problems(bundle).Should().BeEmpty();
    }

    [Fact]
    public async Task Attachments_are_content_attachments_with_url_type_size_and_sha1_hash()
    {
        var thread = await ThreadAsync();
        await using var _ = thread.World;
        var world = thread.World;
        var conversation = (await world.Store.GetConversationAsync(thread.Sms.ConversationId))!;
        var messages = await world.Store.ListConversationMessagesAsync(conversation.Id);
        var sha1 = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();
        var letter = new FhirAttachment(new Uri("https://ehr.example.nhs.uk/m/a/tok123"), "application/pdf", 48_213) { Title = "letter.pdf", Sha1 = sha1 };
        var content = new FhirExportContent
        {
            Patient = (await world.Store.GetPatientAsync(Trust, Jane))!,
            Conversations = [new FhirConversationContent(conversation, messages) { Attachments = new Dictionary<MessageId, IReadOnlyList<FhirAttachment>> { [thread.Direct.Id] = [letter] } }],
        };

        var json = FhirCommunicationMapper.ToBundle(content, world.Clock.GetCurrentInstant()).ToJson();
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(json);

        var direct = Entry(bundle, thread.Direct.Id.Value);
        direct.Payload.Should().HaveCount(2);
        var attachment = direct.Payload[1].Content.Should().BeOfType<R4.Attachment>().Subject;
        attachment.Should().Match<R4.Attachment>(a => a.Url == "https://ehr.example.nhs.uk/m/a/tok123" && a.ContentType == "application/pdf" && a.SizeUnsignedInt == 48_213 && a.Title == "letter.pdf");
        attachment.Hash.Should().Equal(sha1);
        json.Should().Contain(Convert.ToBase64String(sha1));
        Problems(bundle).Should().BeEmpty();
        bundle.Entry.Where(e => e.Resource is Practitioner).Should().OnlyContain(e => ((Practitioner)e.Resource).Name.Count == 0, "no staff names were given");
    }

    [Fact]
    public async Task A_sent_attachment_is_exported_with_the_hosts_url_its_type_size_and_the_sha1_of_its_content()
    {
        await using var world = await CreateAsync(configure: s => s.AddPatientMessaging().AddFhirExport(o => o.AttachmentBaseUrl = new Uri("https://ehr.example.nhs.uk/attachments/")));
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var bytes = new byte[3000];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        var file = await world.Services.GetRequiredService<IAttachmentService>().UploadAsync(Bob, Dermatology, new AttachmentUpload("letter.pdf", "application/pdf", new MemoryStream(bytes)));
        var message = await world.Messages.SendAsync(Bob, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Email, PatientId = Jane, Subject = "Your letter", Body = "Please find your letter attached.", Attachments = [file.Id],
        });

        var json = (await Exporter(world).ExportConversationAsync(Bob, message.ConversationId)).ToJson();
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(json);

        var attachment = Entry(bundle, message.Id.Value).Payload.Select(p => p.Content).OfType<R4.Attachment>().Should().ContainSingle().Subject;
        attachment.Url.Should().Be($"https://ehr.example.nhs.uk/attachments/{file.Id}");
        attachment.ContentType.Should().Be("application/pdf");
        attachment.SizeUnsignedInt.Should().Be(3000);
        attachment.Title.Should().Be("letter.pdf");
#pragma warning disable CA5350 // R4's hash is SHA-1 by definition
        attachment.Hash.Should().Equal(System.Security.Cryptography.SHA1.HashData(bytes));
#pragma warning restore CA5350
        Problems(bundle).Should().BeEmpty();
    }

    [Fact]
    public async Task Repeated_exports_reference_the_same_entries()
    {
        var thread = await ThreadAsync();
        await using var _ = thread.World;

        var first = await Exporter(thread.World).ExportConversationAsync(Alice, thread.Sms.ConversationId);
        var second = await Exporter(thread.World).ExportConversationAsync(Bob, thread.Sms.ConversationId);

        second.Entry.Select(e => e.FullUrl).Should().Equal(first.Entry.Select(e => e.FullUrl));
    }

    [Fact]
    public async Task Only_members_who_may_see_the_conversation_can_export_it()
    {
        await using var world = await CreateAsync(dermatologyHasSharedInbox: false, configure: s => s.AddPatientMessaging().AddFhirExport());
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var message = await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Hello" });

        var outsider = () => Exporter(world).ExportConversationAsync(Mallory, message.ConversationId);
        var notTheirs = () => Exporter(world).ExportConversationAsync(Carol, message.ConversationId);

        (await outsider.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await notTheirs.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.ConversationNotVisible);
        (await Exporter(world).ExportConversationAsync(Bob, message.ConversationId)).Entry.Should().HaveCount(4, "patient, Bob, header and the message");
    }
}
