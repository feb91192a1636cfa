using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Messaging.AspNetCore.Tests.Routing.RoutedWorld;

namespace Messaging.AspNetCore.Tests.Routing;

/// <summary>
/// Issue #17 (R26) and the failover bullet of #18, end to end against the real peers: organisations in one host send
/// through their own named Twilio accounts (Prism serving Twilio's spec) and their own sender addresses (the real SMTP
/// sink), each message recorded with its named provider; a per-organisation fallback, including Twilio → NHS Notify
/// (Prism serving NHS Notify's spec); a status callback reaching its message through the URL the SDK put in the request;
/// and the typed no-route refusal with nothing charged.
/// </summary>
public sealed class MultiOrganisationRoutingTests
{
    [PeersFact(TwilioVariable, NhsNotifyVariable, SmtpHostVariable, SmtpPortVariable, SmtpApiVariable)]
    public async Task Two_organisations_send_sms_through_their_own_twilio_accounts()
    {
        await using var world = await StartAsync();

        var northshire = await world.SendAsync(Northshire, MessageChannel.Sms);
        var riverside = await world.SendAsync(Riverside, MessageChannel.Sms);

        northshire.Status.Should().Be(DeliveryStatus.Sent, northshire.ErrorCode);
        northshire.ProviderName.Should().Be("northshire-twilio");
        riverside.Status.Should().Be(DeliveryStatus.Sent, riverside.ErrorCode);
        riverside.ProviderName.Should().Be("riverside-twilio");

        // Prism accepted each request against Twilio's contract; each went to its own account with its own credentials and sender.
        var requests = world.Requests.All.Where(r => r.Url.AbsolutePath.EndsWith("/Messages.json", StringComparison.Ordinal)).ToList();
        requests.Should().HaveCount(2);
        requests[0].Url.AbsolutePath.Should().Be($"/2010-04-01/Accounts/{NorthshireSid}/Messages.json");
        requests[0].AuthorizationUser.Should().Be(NorthshireSid);
        requests[0].Field("From").Should().Be("+447700900111");
        requests[0].Field("To").Should().Be(Northshire.Mobile);
        requests[0].Client.Should().NotBe(requests[1].Client, "each registration has its own HttpClient and circuit breaker");
        requests[1].Url.AbsolutePath.Should().Be($"/2010-04-01/Accounts/{RiversideSid}/Messages.json");
        requests[1].AuthorizationUser.Should().Be(RiversideSid);
        requests[1].Field("From").Should().Be("Riverside");
        requests[1].Field("To").Should().Be(Riverside.Mobile);
    }

    [PeersFact(TwilioVariable, NhsNotifyVariable, SmtpHostVariable, SmtpPortVariable, SmtpApiVariable)]
    public async Task Two_organisations_send_email_from_their_own_addresses()
    {
        await using var world = await StartAsync();

        var northshire = await world.SendAsync(Northshire, MessageChannel.Email);
        var riverside = await world.SendAsync(Riverside, MessageChannel.Email);

        northshire.Status.Should().Be(DeliveryStatus.Sent, northshire.ErrorCode);
        northshire.ProviderName.Should().Be("northshire-smtp");
        riverside.Status.Should().Be(DeliveryStatus.Sent, riverside.ErrorCode);
        riverside.ProviderName.Should().Be("riverside-smtp");

        var northshireMail = (await SmtpSinkApi.MailsWithMessageIdAsync(northshire.ProviderMessageId!)).Should().ContainSingle().Subject;
        northshireMail.From.Should().ContainSingle().Which.Address.Should().Be(NorthshireFrom);
        northshireMail.From[0].Name.Should().Be("Northshire NHS Trust");
        northshireMail.Envelope.To.Should().Equal(Northshire.Email);
        var riversideMail = (await SmtpSinkApi.MailsWithMessageIdAsync(riverside.ProviderMessageId!)).Should().ContainSingle().Subject;
        riversideMail.From.Should().ContainSingle().Which.Address.Should().Be(RiversideFrom);
        riversideMail.Envelope.From.Should().Be(RiversideFrom);
        riversideMail.Envelope.To.Should().Equal(Riverside.Email);
    }

    [PeersFact(TwilioVariable, NhsNotifyVariable, SmtpHostVariable, SmtpPortVariable, SmtpApiVariable)]
    public async Task When_the_first_twilio_of_an_organisation_fails_transiently_its_second_sends()
    {
        await using var world = await StartAsync();

        var message = await world.SendAsync(Fallback, MessageChannel.Sms);

        message.Status.Should().Be(DeliveryStatus.Sent, message.ErrorCode);
        message.ProviderName.Should().Be("northshire-twilio", "the route's second provider took it after the first could not be reached");
        var requests = world.Requests.All;
        requests.Should().HaveCount(2, "the broken registration was tried first, then the second");
        requests[0].Url.AbsolutePath.Should().Contain("AC33333333333333333333333333333333");
        requests[1].Url.AbsolutePath.Should().Be($"/2010-04-01/Accounts/{NorthshireSid}/Messages.json");
        requests[1].Field("StatusCallback").Should().StartWith(PublicBaseUrl + "sms/northshire-twilio/status?messageKey=", "the callback names the registration that sent it");
    }

    [PeersFact(TwilioVariable, NhsNotifyVariable, SmtpHostVariable, SmtpPortVariable, SmtpApiVariable)]
    public async Task An_organisation_routed_twilio_then_nhs_notify_sends_through_nhs_notify_when_twilio_fails_transiently()
    {
        await using var world = await StartAsync();

        var message = await world.SendAsync(ToNotify, MessageChannel.Sms);

        message.Status.Should().Be(DeliveryStatus.Sent, message.ErrorCode);
        message.ProviderName.Should().Be("notify-trust-notify");
        message.ProviderMessageId.Should().Be(message.Id.ToString(), "NHS Notify's provider id is the messageReference, the SDK's key");
        var requests = world.Requests.All;
        requests.Should().HaveCount(2);
        requests[0].Url.AbsolutePath.Should().EndWith("/Messages.json", "Twilio was tried first");
        requests[1].Url.AbsolutePath.Should().EndWith("/v1/messages", "then NHS Notify, whose mock accepted the request against its spec");
        requests[1].Body.Should().Contain(ToNotify.Mobile[1..], "the patient's number went to NHS Notify");
    }

    [PeersFact(TwilioVariable, NhsNotifyVariable, SmtpHostVariable, SmtpPortVariable, SmtpApiVariable)]
    public async Task A_status_callback_reaches_a_message_of_a_named_registration_through_the_url_in_its_request()
    {
        await using var world = await StartAsync();
        var message = await world.SendAsync(Riverside, MessageChannel.Sms);
        var callback = new Uri(world.Requests.All.Single().Field("StatusCallback")!);
        callback.AbsoluteUri.Should().StartWith(PublicBaseUrl + "sms/riverside-twilio/status?messageKey=");
        IReadOnlyList<KeyValuePair<string, string>> delivered = [new("MessageSid", message.ProviderMessageId!), new("MessageStatus", "delivered"), new("AccountSid", RiversideSid)];

        using var forged = await world.PostTwilioAsync(callback, delivered, NorthshireToken);
        using var accepted = await world.PostTwilioAsync(callback, delivered, RiversideToken);

        forged.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the route checks the signature with its own registration's auth token, not another's");
        accepted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var stored = await world.MessageAsync(message.Id);
        stored.Status.Should().Be(DeliveryStatus.Delivered);
        stored.ProviderStatus.Should().Be("delivered");
    }

    [Fact]
    public async Task An_inbound_text_to_a_named_registration_is_checked_with_its_own_auth_token()
    {
        // No provider is called: the peers' addresses may be absent.
        await using var world = await StartAsync();
        var url = new Uri(PublicBaseUrl, "sms/riverside-twilio/inbound/riverside-clinic");
        IReadOnlyList<KeyValuePair<string, string>> stop = [new("MessageSid", "SM00000000000000000000000000000001"), new("From", Riverside.Mobile), new("To", "+447700900222"), new("Body", "STOP")];

        using var forged = await world.PostTwilioAsync(url, stop, NorthshireToken);
        var optedOutAfterForgery = await world.Services.GetRequiredService<IOptOutService>().IsOptedOutAsync(Riverside.Id, PhoneNumber.FromE164(Riverside.Mobile));
        using var accepted = await world.PostTwilioAsync(url, stop, RiversideToken);

        forged.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        optedOutAfterForgery.Should().BeFalse();
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await world.Services.GetRequiredService<IOptOutService>().IsOptedOutAsync(Riverside.Id, PhoneNumber.FromE164(Riverside.Mobile))).Should().BeTrue();
    }

    [PeersFact(TwilioVariable, NhsNotifyVariable, SmtpHostVariable, SmtpPortVariable, SmtpApiVariable)]
    public async Task An_organisation_without_a_route_is_refused_with_a_typed_error_and_nothing_is_charged_or_stored()
    {
        await using var world = await StartAsync();
        var store = world.Services.GetRequiredService<Storage.IMessagingStore>();
        var balance = await store.GetCreditBalanceAsync(Unrouted.Id);

        var send = () => world.QueueAsync(Unrouted, MessageChannel.Sms);

        var refusal = (await send.Should().ThrowAsync<MessagingConflictException>()).Which;
        refusal.ErrorCode.Should().Be(MessagingErrorCodes.NoRoute);
        refusal.Message.Should().Contain("Messaging:Routes:Organisations:unrouted-practice:Sms").And.NotContain(Unrouted.Mobile);
        (await store.GetCreditBalanceAsync(Unrouted.Id)).Should().Be(balance);
        (await store.QueryPatientHistoryAsync(new PatientHistoryQuery { WorkspaceId = Unrouted.Workspace, PatientId = Unrouted.Patient, PageSize = 10 })).Messages.Should().BeEmpty();
        (await world.Services.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync()).Should().Be(0);
        world.Requests.All.Should().BeEmpty();
    }

    public static TheoryData<string, string?, string> BadSettings() => new()
    {
        { "Messaging:Routes:Organisations:riverside-clinic:Sms:0", "riverside-smtp", "Messaging:Routes:Organisations:riverside-clinic:Sms:0 names provider 'riverside-smtp', which is not a registered Sms provider" },
        { "Messaging:Routes:Organisations:riverside-clinic:Letter:0", "riverside-smtp", "Messaging:Routes:Organisations:riverside-clinic:Letter is not a routed channel" },
        { "Messaging:Routes:Default:Email:0", "northshire-twillio", "Messaging:Routes:Default:Email:0 names provider 'northshire-twillio'" },
        { "Messaging:Providers:Twilio:riverside:AccountSid", "AC-not-a-sid", "Messaging:Providers:Twilio:riverside:AccountSid must be AC followed by 32 hexadecimal digits" },
        { "Messaging:Providers:Twilio:northshire:From", null, "Messaging:Providers:Twilio:northshire:From or Messaging:Providers:Twilio:northshire:MessagingServiceSid is required" },
        { "Messaging:Providers:Smtp:riverside:FromAddress", "not-an-address", "Messaging:Providers:Smtp:riverside:FromAddress must be an email address" },
        { "Messaging:Providers:NhsNotify:notify:ApiKey", null, "Messaging:Providers:NhsNotify:notify:ApiKey is required" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_route_or_named_registration_stops_the_host_at_start_naming_the_setting(string key, string? value, string expected)
    {
        var start = () => StartAsync(settings => settings[key] = value);

        var failure = (await start.Should().ThrowAsync<Exception>()).Which;
        var messages = failure is AggregateException all ? all.InnerExceptions.Select(e => e.Message) : [failure.Message];
        failure.Should().Match(e => e is OptionsValidationException || e is AggregateException);
        string.Join("\n", messages).Should().Contain(expected);
    }
}
