using System.Globalization;
using Hl7.Fhir.Model;
using Instant = NodaTime.Instant;
using R4 = Hl7.Fhir.Model;

namespace Messaging.Fhir;

/// <summary>
/// Turns a patient's conversations into a FHIR R4 <c>Bundle</c> of type <c>collection</c> (R25): per conversation a
/// thread-header <c>Communication</c>, then one <c>Communication</c> per message with <c>partOf</c> pointing to the
/// header, oldest first; the patient (<c>subject</c>, identified by NHS number, or by the host's patient id when the
/// patient has none, R33) and the staff involved
/// (<c>Practitioner</c>s) are entries of the same Bundle, and every reference is a <c>urn:uuid</c> <c>fullUrl</c> of an
/// entry, so the Bundle resolves on its own.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Ids: a conversation's or message's <c>fullUrl</c> is <c>urn:uuid:</c> its SDK id (also its
/// <c>identifier</c>, system <c>urn:ietf:rfc:3986</c>); the patient's and each staff member's are name-based UUIDs of
/// the host's ids, so repeated exports agree.</description></item>
/// <item><description>Status (R13 → <c>EventStatus</c>): queued → <c>preparation</c>; sending → <c>in-progress</c>;
/// sent and delivered → <c>completed</c>; undelivered → <c>stopped</c>; failed → <c>not-done</c>, the last two with a
/// <c>statusReason</c> naming the provider's error code. A patient's reply is <c>completed</c>.</description></item>
/// <item><description>Times: <c>sent</c> is when staff sent the message (not for a failed one); <c>received</c> is when
/// the delivery report arrived, or when a patient's reply was received.</description></item>
/// <item><description>Medium (v3 ParticipationMode): email → <c>EMAILWRIT</c>; SMS → <c>WRITTEN</c>; Direct Messages,
/// internal messages and patient replies (typed on the reply page) → <c>ONLINEWRIT</c>; the SDK channel name is the
/// concept's text.</description></item>
/// <item><description>Replies: <c>inResponseTo</c> the staff message whose link the patient used.</description></item>
/// </list>
/// </remarks>
public static class FhirCommunicationMapper
{
    private const string UriSystem = "urn:ietf:rfc:3986";
    private const string ParticipationMode = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode";

    /// <summary>Builds the Bundle.</summary>
    /// <param name="content">The patient, conversations, messages, attachments and staff names.</param>
    /// <param name="exportedAt">The Bundle's timestamp.</param>
    /// <param name="options">Identifier systems; the defaults when <see langword="null"/>.</param>
    /// <returns>A <c>collection</c> Bundle: the patient, the practitioners, then each conversation's header and messages.</returns>
    public static Bundle ToBundle(FhirExportContent content, Instant exportedAt, FhirExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new FhirExportOptions();
        var patient = content.Patient;
        var bundle = new Bundle { Type = Bundle.BundleType.Collection, TimestampElement = new R4.Instant(exportedAt.ToDateTimeOffset()) };

        var patientUrl = Urn(NameBasedUuid.Create($"patient\n{patient.OrganisationId.Value}\n{patient.Id.Value}"));
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = patientUrl, Resource = ToPatient(patient, options) });

        var names = content.Staff.GroupBy(m => m.StaffId).ToDictionary(g => g.Key, g => g.First().DisplayName);
        var staff = content.Conversations.SelectMany(StaffOf).Distinct().OrderBy(s => s.Value, StringComparer.Ordinal).ToList();
        var staffUrls = new Dictionary<StaffId, string>();
        foreach (var member in staff)
        {
            staffUrls[member] = Urn(NameBasedUuid.Create($"staff\n{patient.OrganisationId.Value}\n{member.Value}"));
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = staffUrls[member], Resource = ToPractitioner(member, names.GetValueOrDefault(member), options) });
        }

        var subject = Reference(patientUrl, "Patient");
        subject.Identifier = SubjectIdentifier(patient, options);
        var context = new Context(patientUrl, subject, staffUrls, names);
        foreach (var conversation in content.Conversations)
        {
            AddConversation(bundle, conversation, context);
        }

        return bundle;
    }

    private sealed record Context(string PatientUrl, ResourceReference Patient, IReadOnlyDictionary<StaffId, string> StaffUrls, IReadOnlyDictionary<StaffId, string> Names)
    {
        public ResourceReference Staff(StaffId staffId) => Reference(StaffUrls[staffId], Names.GetValueOrDefault(staffId));
    }

    private static void AddConversation(Bundle bundle, FhirConversationContent content, Context context)
    {
        var conversation = content.Conversation;
        var headerUrl = Urn(conversation.Id.Value);
        var header = new Communication
        {
            Identifier = [Identifier(conversation.Id.Value)],
            Status = conversation.Status == ConversationStatus.Done ? EventStatus.Completed : EventStatus.InProgress,
            Subject = context.Patient,
            Topic = conversation.Subject is { } subject ? new CodeableConcept { Text = subject } : null,
            SentElement = Time(conversation.CreatedAt),
            Sender = context.Staff(conversation.StartedBy),
            Recipient = [context.Patient],
        };
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = headerUrl, Resource = header });

        var messages = content.Messages.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id.Value).ToList();
        var byId = messages.ToDictionary(m => m.Id);
        foreach (var message in messages)
        {
            var communication = ToCommunication(message, byId, conversation, headerUrl, context);
            if (content.Attachments.TryGetValue(message.Id, out var attachments))
            {
                communication.Payload.AddRange(attachments.Select(a => new Communication.PayloadComponent { Content = ToAttachment(a) }));
            }

            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = Urn(message.Id.Value), Resource = communication });
        }
    }

    private static Communication ToCommunication(Message message, Dictionary<MessageId, Message> conversationMessages, Conversation conversation, string headerUrl, Context context)
    {
        var inbound = message.Direction == MessageDirection.Inbound;
        var communication = new Communication
        {
            Identifier = [Identifier(message.Id.Value)],
            PartOf = [Reference(headerUrl)],
            Status = inbound ? EventStatus.Completed : Status(message.Status),
            StatusReason = message.Status is DeliveryStatus.Failed or DeliveryStatus.Undelivered
                ? new CodeableConcept { Text = message.ErrorCode is { } code ? $"{message.Status} (provider error {code})" : message.Status.ToString() }
                : null,
            Medium = [Medium(message, inbound)],
            Subject = context.Patient,
            Topic = message.Subject is { } subject ? new CodeableConcept { Text = subject } : null,
            Payload = [new Communication.PayloadComponent { Content = new FhirString(message.Body) }],
        };

        if (inbound)
        {
            communication.Sender = context.Patient;
            communication.SentElement = Time(message.CreatedAt);
            communication.ReceivedElement = Time(message.CreatedAt);
            var answered = message.InReplyTo is { } id ? conversationMessages.GetValueOrDefault(id) : null;
            if (message.InReplyTo is { } inReplyTo)
            {
                communication.InResponseTo = [answered is null ? new ResourceReference { Identifier = Identifier(inReplyTo.Value) } : Reference(Urn(inReplyTo.Value))];
            }

            communication.Recipient = [context.Staff(answered?.SentBy ?? conversation.StartedBy)];
            return communication;
        }

        if (message.SentBy is { } sender)
        {
            communication.Sender = context.Staff(sender);
        }

        communication.Recipient = message.Channel == MessageChannel.Internal
            ? context.StaffUrls.Keys.Where(s => s.Value == message.Recipient).Select(context.Staff).ToList()
            : [context.Patient];
        if (message.Status != DeliveryStatus.Failed)
        {
            communication.SentElement = Time(message.CreatedAt);
        }

        if (message.Status == DeliveryStatus.Delivered)
        {
            communication.ReceivedElement = Time(message.UpdatedAt);
        }

        return communication;
    }

    private static IEnumerable<StaffId> StaffOf(FhirConversationContent content)
    {
        yield return content.Conversation.StartedBy;
        foreach (var message in content.Messages)
        {
            if (message.SentBy is { } sender)
            {
                yield return sender;
            }

            if (message.Channel == MessageChannel.Internal && message.Direction == MessageDirection.Outbound
                && content.Conversation.Participants.Concat(content.Messages.Select(m => m.SentBy).OfType<StaffId>()).Any(s => s.Value == message.Recipient))
            {
                yield return new StaffId(message.Recipient);
            }
        }
    }

    private static EventStatus Status(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Queued => EventStatus.Preparation,
        DeliveryStatus.Sending => EventStatus.InProgress,
        DeliveryStatus.Sent or DeliveryStatus.Delivered => EventStatus.Completed,
        DeliveryStatus.Undelivered => EventStatus.Stopped,
        DeliveryStatus.Failed => EventStatus.NotDone,
        _ => EventStatus.Unknown,
    };

    private static CodeableConcept Medium(Message message, bool inbound)
    {
        var (code, display) = inbound ? ("ONLINEWRIT", "online written")
            : message.Channel == MessageChannel.Email ? ("EMAILWRIT", "email")
            : message.Channel == MessageChannel.Sms ? ("WRITTEN", "written")
            : ("ONLINEWRIT", "online written");
        return new CodeableConcept(ParticipationMode, code, display, message.Channel.Value);
    }

    private static R4.Attachment ToAttachment(FhirAttachment attachment) => new()
    {
        Url = attachment.Url.AbsoluteUri,
        ContentType = attachment.ContentType,
        // R4 types size as unsignedInt (the shared model's Size is R5's integer64, which R4 readers reject).
        SizeUnsignedInt = attachment.Size <= int.MaxValue ? (int)attachment.Size : null,
        Title = attachment.Title,
        Hash = attachment.Sha1 is { } sha1 ? [.. sha1] : null,
    };

    private static R4.Patient ToPatient(Patient patient, FhirExportOptions options)
    {
        var resource = new R4.Patient
        {
            Name = [new HumanName { Family = patient.FamilyName, Given = [patient.GivenName], Use = HumanName.NameUse.Official }],
            BirthDate = patient.DateOfBirth.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture),
        };
        if (patient.NhsNumber is { } nhsNumber)
        {
            resource.Identifier.Add(new Identifier(FhirExportOptions.NhsNumberSystem, nhsNumber.Value));
        }

        // The host's id is the patient's identifier when they have no NHS number (R33); beside it when a system is set.
        if (options.PatientIdentifierSystem is not null || patient.NhsNumber is null)
        {
            resource.Identifier.Add(HostIdentifier(patient, options));
        }

        return resource;
    }

    /// <summary>The identifier every <c>subject</c> reference carries: the NHS number, or else the host's patient id.</summary>
    private static Identifier SubjectIdentifier(Patient patient, FhirExportOptions options)
        => patient.NhsNumber is { } nhsNumber ? new Identifier(FhirExportOptions.NhsNumberSystem, nhsNumber.Value) : HostIdentifier(patient, options);

    private static Identifier HostIdentifier(Patient patient, FhirExportOptions options)
        => new(options.PatientIdentifierSystem?.AbsoluteUri, patient.Id.Value);

    private static Practitioner ToPractitioner(StaffId staffId, string? displayName, FhirExportOptions options)
    {
        var resource = new Practitioner { Identifier = [new Identifier(options.StaffIdentifierSystem?.AbsoluteUri, staffId.Value)] };
        if (displayName is not null)
        {
            resource.Name = [new HumanName { Text = displayName }];
        }

        return resource;
    }

    private static Identifier Identifier(Guid id) => new(UriSystem, Urn(id));

    private static string Urn(Guid id) => $"urn:uuid:{id:D}";

    private static ResourceReference Reference(string url, string? display = null) => new(url, display);

    private static FhirDateTime Time(Instant instant) => new(instant.ToDateTimeOffset());
}
