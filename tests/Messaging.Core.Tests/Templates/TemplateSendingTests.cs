using Messaging.Templates;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Templates;

/// <summary>Sending from a saved template (R16): rendering for the patient, SMS cost, HTML encoding, refusals that cost nothing.</summary>
public sealed class TemplateSendingTests
{
    private const string AppointmentSms =
        "Dear {{patient.firstName}}, your appointment at {{clinic.name}} is on {{appointment.date:dddd d MMMM}} at {{appointment.time:HH:mm}}. {{workspace.name}}";

    private static readonly LocalDate Tuesday6July2027 = new(2027, 7, 6);
    private static readonly Instant HalfPastOneUtcInJuly = Instant.FromUtc(2027, 7, 6, 13, 30);

    /// <summary>The seeded world with the clinic's own placeholders registered, as a host would at start-up.</summary>
    private static Task<TestWorld> WorldAsync(Action<IServiceCollection>? configure = null)
        => CreateAsync(configure: services =>
        {
            services.Configure<TemplateOptions>(o =>
            {
                o.Placeholders[Templates.ClinicName] = new CustomPlaceholderOptions { Kind = PlaceholderKind.Text };
                o.Placeholders[Templates.AppointmentDate] = new CustomPlaceholderOptions { Kind = PlaceholderKind.Date };
                o.Placeholders[Templates.AppointmentTime] = new CustomPlaceholderOptions { Kind = PlaceholderKind.DateTime };
            });
            configure?.Invoke(services);
        });

    private static async Task<MessageTemplate> SharedAsync(TestWorld world, string body = AppointmentSms, string? htmlBody = null, string name = "Appointment")
        => await world.Templates.CreateAsync(Bob, new CreateTemplateRequest { WorkspaceId = Dermatology, Name = name, Body = body, HtmlBody = htmlBody, Shared = true });

    private static TemplateValues Appointment(TestWorld world, string clinic = "Skin Clinic")
        => world.TemplateMessages.CreateValues()
            .Set(Templates.ClinicName, clinic)
            .Set(Templates.AppointmentDate, Tuesday6July2027)
            .Set(Templates.AppointmentTime, HalfPastOneUtcInJuly);

    private static TemplateMessageRequest Sms(MessageTemplate template, TemplateValues? values, bool allowReply = false, string? key = null)
        => new()
        {
            WorkspaceId = Dermatology,
            TemplateId = template.Id,
            Channel = MessageChannel.Sms,
            PatientId = Jane,
            Values = values,
            AllowReply = allowReply,
            IdempotencyKey = key,
        };

    [Fact]
    public async Task A_rendered_sms_has_the_patients_and_hosts_values_local_time_and_its_segment_cost()
    {
        await using var world = await WorldAsync();
        var template = await SharedAsync(world);

        var rendered = await world.TemplateMessages.RenderAsync(Carol, Sms(template, Appointment(world)));

        rendered.Body.Should().Be("Dear Jane, your appointment at Skin Clinic is on Tuesday 6 July at 14:30. Dermatology at Northshire NHS Trust");
        rendered.HtmlBody.Should().BeNull();
        rendered.Sms.Should().Be(new SmsSegmentInfo(SmsEncoding.Gsm7, Segments: 1, Units: 109, RemainingInLastSegment: 51));
        (rendered.Segments, rendered.Credits).Should().Be((1, 1));
        (await world.Store.ListPatientConversationsAsync(Dermatology, Jane, participant: null)).Should().BeEmpty("a preview writes nothing");
    }

    [Fact]
    public async Task The_reply_link_counts_towards_the_segments_and_the_send_charges_what_the_preview_said()
    {
        await using var world = await WorldAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var template = await SharedAsync(world);

        var preview = await world.TemplateMessages.RenderAsync(Carol, Sms(template, Appointment(world), allowReply: true));
        var message = await world.TemplateMessages.SendAsync(Carol, Sms(template, Appointment(world), allowReply: true));

        preview.Sms!.Value.Segments.Should().Be(2, "109 characters of text plus a 100-character reply link no longer fit in 160");
        (message.Segments, message.Credits).Should().Be((preview.Segments, preview.Credits));
        message.Body.Should().Be(preview.Body);
        message.SentBy.Should().Be(Carol);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(8);
    }

    [Fact]
    public async Task An_attachments_download_link_counts_towards_the_segments_and_the_send_charges_what_the_preview_said()
    {
        await using var world = await WorldAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var template = await SharedAsync(world);
        var pdf = new byte[200];
        "%PDF-1.7\n"u8.CopyTo(pdf);
        var attachment = await world.Services.GetRequiredService<IAttachmentService>()
            .UploadAsync(Carol, Dermatology, new AttachmentUpload("letter.pdf", "application/pdf", new MemoryStream(pdf)));
        var request = Sms(template, Appointment(world)) with { Attachments = [attachment.Id] };

        var preview = await world.TemplateMessages.RenderAsync(Carol, request);
        var message = await world.TemplateMessages.SendAsync(Carol, request);

        preview.Segments.Should().Be(2, "the 109-character text and its download link no longer fit in 160");
        (message.Segments, message.Credits).Should().Be((2, 2));
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(8);
    }

    [Fact]
    public async Task A_value_outside_gsm7_makes_the_rendered_sms_ucs2_and_costs_more()
    {
        await using var world = await WorldAsync();
        var template = await SharedAsync(world);

        var rendered = await world.TemplateMessages.RenderAsync(Bob, Sms(template, Appointment(world, clinic: "Zoë's Skin Clinic")));

        rendered.Sms!.Value.Encoding.Should().Be(SmsEncoding.Ucs2);
        rendered.Sms.Value.Units.Should().Be(115);
        rendered.Credits.Should().Be(2, "115 UCS-2 characters need two parts of 67");
    }

    [Fact]
    public async Task Rendering_with_a_required_value_missing_names_it_and_queues_and_charges_nothing()
    {
        await using var world = await WorldAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var template = await SharedAsync(world);
        var audits = await world.AuditCountAsync();
        var values = Appointment(world).Remove(Templates.AppointmentDate);

        var send = () => world.TemplateMessages.SendAsync(Carol, Sms(template, values, key: "appt-1"));

        var error = (await send.Should().ThrowAsync<MessagingValidationException>()).Which;
        error.ErrorCode.Should().Be(TemplateErrorCodes.ValueMissing);
        error.Field.Should().Be(Templates.AppointmentDate);
        error.Message.Should().Contain("'appointment.date'");
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(10);
        (await world.Credits.GetLedgerAsync(Trust)).Should().ContainSingle("only the purchase");
        (await world.Store.ListPatientConversationsAsync(Dermatology, Jane, participant: null)).Should().BeEmpty();
        (await world.Store.FindMessageByIdempotencyKeyAsync(Trust, "appt-1")).Should().BeNull();
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0);
        world.Sms.Calls.Should().Be(0);
        (await world.AuditCountAsync()).Should().Be(audits);
    }

    [Fact]
    public async Task An_email_html_body_gets_html_encoded_values_while_its_text_body_keeps_them_as_typed()
    {
        await using var world = await WorldAsync();
        var template = await SharedAsync(
            world,
            body: "Dear {{patient.firstName}}, see you at {{clinic.name}}.",
            htmlBody: "<p>Dear <b>{{patient.firstName}}</b>, see you at {{clinic.name}}.</p>");
        var values = world.TemplateMessages.CreateValues().Set(Templates.ClinicName, "St Mary's <Skin> & \"Co\"");

        var message = await world.TemplateMessages.SendAsync(Carol, new TemplateMessageRequest
        {
            WorkspaceId = Dermatology,
            TemplateId = template.Id,
            Channel = MessageChannel.Email,
            PatientId = Jane,
            Subject = "Your appointment",
            Values = values,
        });
        await world.Dispatcher.DispatchDueAsync();

        message.Body.Should().Be("Dear Jane, see you at St Mary's <Skin> & \"Co\".");
        message.HtmlBody.Should().Be("<p>Dear <b>Jane</b>, see you at St Mary&#39;s &lt;Skin&gt; &amp; &quot;Co&quot;.</p>");
        message.Credits.Should().Be(0);
        var email = world.Email.Accepted.Should().ContainSingle().Subject;
        (email.TextBody, email.HtmlBody).Should().Be((message.Body, message.HtmlBody));
    }

    [Fact]
    public async Task An_sms_from_a_template_with_an_html_body_uses_the_text_body_only()
    {
        await using var world = await WorldAsync();
        var template = await SharedAsync(world, body: "Hi {{patient.firstName}}", htmlBody: "<p>Hi {{patient.firstName}}</p>");

        var rendered = await world.TemplateMessages.RenderAsync(Bob, Sms(template, values: null));

        (rendered.Body, rendered.HtmlBody).Should().Be(("Hi Jane", null));
    }

    [Fact]
    public async Task Instants_show_in_the_configured_time_zone_in_winter_and_summer()
    {
        await using var world = await WorldAsync();
        var template = await SharedAsync(world, body: "{{appointment.time:d MMM HH:mm}}");
        var winter = world.TemplateMessages.CreateValues().Set(Templates.AppointmentTime, Instant.FromUtc(2027, 1, 12, 9, 15));
        var summer = world.TemplateMessages.CreateValues().Set(Templates.AppointmentTime, Instant.FromUtc(2027, 7, 12, 9, 15));

        (await world.TemplateMessages.RenderAsync(Bob, Sms(template, winter))).Body.Should().Be("12 Jan 09:15");
        (await world.TemplateMessages.RenderAsync(Bob, Sms(template, summer))).Body.Should().Be("12 Jul 10:15", "Europe/London is on BST");

        await using var tokyo = await WorldAsync(s => s.Configure<PatientMessagingOptions>(o => o.TimeZone = "Asia/Tokyo"));
        var tokyoTemplate = await SharedAsync(tokyo, body: "{{appointment.time:d MMM HH:mm}}");
        var values = tokyo.TemplateMessages.CreateValues().Set(Templates.AppointmentTime, Instant.FromUtc(2027, 1, 12, 9, 15));
        (await tokyo.TemplateMessages.RenderAsync(Bob, Sms(tokyoTemplate, values))).Body.Should().Be("12 Jan 18:15");
    }

    [Fact]
    public async Task Host_values_win_over_the_built_ins_the_sdk_fills()
    {
        await using var world = await WorldAsync();
        var template = await SharedAsync(world, body: "{{staff.name}} for {{patient.fullName}} ({{patient.nhsNumber}}), {{organisation.name}}");
        var values = world.TemplateMessages.CreateValues().Set(BuiltInPlaceholders.StaffName, "The dermatology team");

        var rendered = await world.TemplateMessages.RenderAsync(Carol, Sms(template, values));

        rendered.Body.Should().Be("The dermatology team for Jane Doe (943 476 5919), Northshire NHS Trust");
        values.Count.Should().Be(1, "the host's values are not changed");
    }

    [Fact]
    public async Task Continuing_a_conversation_from_a_template_renders_for_its_patient()
    {
        await using var world = await WorldAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var template = await SharedAsync(world, body: "Hello {{patient.firstName}}");
        var first = await world.TemplateMessages.SendAsync(Bob, Sms(template, values: null));

        var second = await world.TemplateMessages.SendAsync(Carol, Sms(template, values: null) with { PatientId = null, ConversationId = first.ConversationId });

        second.ConversationId.Should().Be(first.ConversationId);
        second.Body.Should().Be("Hello Jane");
    }

    [Fact]
    public async Task Someone_elses_personal_template_or_another_workspaces_cannot_be_used()
    {
        await using var world = await WorldAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var bobsOwn = await world.Templates.CreateAsync(Bob, new CreateTemplateRequest { WorkspaceId = Dermatology, Name = "Mine", Body = "Hi {{patient.firstName}}" });
        var elsewhere = await world.Templates.CreateAsync(Carol, new CreateTemplateRequest { WorkspaceId = TrustDefault, Name = "Default", Body = "Hi {{patient.firstName}}" });

        var byCarol = () => world.TemplateMessages.SendAsync(Carol, Sms(bobsOwn, values: null));
        var wrongWorkspace = () => world.TemplateMessages.SendAsync(Carol, Sms(elsewhere, values: null));
        var byMallory = () => world.TemplateMessages.RenderAsync(Mallory, Sms(bobsOwn, values: null));

        (await byCarol.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.TemplateNotFound);
        (await wrongWorkspace.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.TemplateNotFound);
        (await byMallory.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(10);
        (await world.TemplateMessages.SendAsync(Bob, Sms(bobsOwn, values: null))).Body.Should().Be("Hi Jane", "the owner may use it");
    }

    [Fact]
    public async Task The_same_idempotency_key_with_the_same_values_returns_the_original_and_with_other_values_conflicts()
    {
        await using var world = await WorldAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var template = await SharedAsync(world);

        var original = await world.TemplateMessages.SendAsync(Carol, Sms(template, Appointment(world), key: "appt-42"));
        var repeat = await world.TemplateMessages.SendAsync(Carol, Sms(template, Appointment(world), key: "appt-42"));
        var changed = () => world.TemplateMessages.SendAsync(Carol, Sms(template, Appointment(world, clinic: "Eye Clinic"), key: "appt-42"));

        repeat.Id.Should().Be(original.Id);
        (await changed.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.IdempotencyKeyReused);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(9);
    }

    [Fact]
    public async Task Only_sms_and_email_can_be_sent_from_a_template()
    {
        await using var world = await WorldAsync();
        var template = await SharedAsync(world);

        var act = () => world.TemplateMessages.RenderAsync(Bob, Sms(template, Appointment(world)) with { Channel = MessageChannel.Internal });

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.ChannelNotSupported);
    }
}
