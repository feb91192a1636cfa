using System.Text.RegularExpressions;
using Messaging.Outbox;
using Messaging.Testing.Fakes;
using Messaging.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Outbox;

/// <summary>
/// R26: <c>Messaging:Routes</c> gives each organisation and channel its ordered named providers. The dispatcher follows
/// the route (fallback included) for messages and staff notification emails; without routes every provider is tried in
/// registration order, as before; an organisation without a route is refused before anything is charged or written; a
/// bad route stops start-up naming the setting.
/// </summary>
public sealed partial class ProviderRoutingTests
{
    private static readonly OrganisationId Riverside = new("riverside-clinic");

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex LinkPattern();

    private sealed record Providers(FakeSmsProvider Alpha, FakeSmsProvider Beta, FakeEmailProvider TrustMail);

    /// <summary>The seeded world with two more SMS providers and one more email provider, and the given routes.</summary>
    private static async Task<(TestWorld World, Providers Providers)> WorldAsync(Action<ProviderRouteOptions>? routes)
    {
        var providers = new Providers(new FakeSmsProvider("alpha"), new FakeSmsProvider("beta"), new FakeEmailProvider("trust-mail"));
        var world = await CreateAsync(configure: services =>
        {
            services.AddSingleton<ISmsProvider>(providers.Alpha);
            services.AddSingleton<ISmsProvider>(providers.Beta);
            services.AddSingleton<IEmailProvider>(providers.TrustMail);
            services.Configure<Messaging.DirectMessages.DirectMessageSecurityOptions>(o => o.Pepper = Convert.ToBase64String(new byte[32]));
            if (routes is not null)
            {
                services.Configure(routes);
            }
        });
        await world.Credits.PurchaseAsync(Alice, Trust, 100, "INV-1");
        return (world, providers);
    }

    private static Task<Message> SendSmsAsync(TestWorld world, bool allowReply = false)
        => world.Messages.SendAsync(Alice, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Your appointment is on Tuesday.", AllowReply = allowReply,
        });

    [Fact]
    public async Task A_message_goes_to_the_first_provider_of_its_organisations_route_and_records_its_name()
    {
        var (world, providers) = await WorldAsync(o => o.Organisations[Trust.Value] = new Dictionary<string, IList<string>> { ["Sms"] = ["beta", "alpha"] });
        await using var _ = world;

        var message = await SendSmsAsync(world);
        await world.Dispatcher.DispatchDueAsync();

        providers.Beta.Accepted.Should().ContainSingle().Which.OrganisationId.Should().Be(Trust);
        providers.Alpha.Calls.Should().Be(0);
        world.Sms.Calls.Should().Be(0, "a provider the route does not name is never tried, though it was registered first");
        var sent = (await world.Store.GetMessageAsync(message.Id))!;
        sent.Status.Should().Be(DeliveryStatus.Sent);
        sent.ProviderName.Should().Be("beta");
    }

    [Fact]
    public async Task When_the_first_provider_of_the_route_fails_transiently_the_next_one_sends()
    {
        var (world, providers) = await WorldAsync(o => o.Organisations[Trust.Value] = new Dictionary<string, IList<string>> { ["Sms"] = ["beta", "alpha"] });
        await using var _ = world;
        providers.Beta.FailTransiently();

        var message = await SendSmsAsync(world);
        await world.Dispatcher.DispatchDueAsync();

        providers.Beta.Calls.Should().Be(1);
        providers.Alpha.Accepted.Should().ContainSingle();
        (await world.Store.GetMessageAsync(message.Id))!.ProviderName.Should().Be("alpha");
    }

    [Fact]
    public async Task Without_routes_every_provider_is_tried_in_registration_order()
    {
        var (world, providers) = await WorldAsync(routes: null);
        await using var _ = world;
        world.Sms.FailTransiently();

        var message = await SendSmsAsync(world);
        await world.Dispatcher.DispatchDueAsync();

        world.Sms.Calls.Should().Be(1);
        providers.Alpha.Accepted.Should().ContainSingle();
        providers.Beta.Calls.Should().Be(0);
        (await world.Store.GetMessageAsync(message.Id))!.ProviderName.Should().Be("alpha");
    }

    [Fact]
    public async Task An_organisation_not_listed_uses_the_default_route()
    {
        var (world, providers) = await WorldAsync(o =>
        {
            o.Organisations[Riverside.Value] = new Dictionary<string, IList<string>> { ["Sms"] = ["alpha"] };
            o.Default["Sms"] = ["beta"];
        });
        await using var _ = world;

        var message = await SendSmsAsync(world);
        await world.Dispatcher.DispatchDueAsync();

        providers.Beta.Accepted.Should().ContainSingle();
        (await world.Store.GetMessageAsync(message.Id))!.ProviderName.Should().Be("beta");
    }

    [Fact]
    public async Task An_organisation_without_a_route_is_refused_before_anything_is_charged_or_written()
    {
        var (world, providers) = await WorldAsync(o => o.Organisations[Riverside.Value] = new Dictionary<string, IList<string>> { ["Sms"] = ["alpha"] });
        await using var _ = world;
        var balance = await world.Store.GetCreditBalanceAsync(Trust);
        var audit = await world.AuditCountAsync();

        var send = () => SendSmsAsync(world);

        var refusal = (await send.Should().ThrowAsync<MessagingConflictException>()).Which;
        refusal.ErrorCode.Should().Be(MessagingErrorCodes.NoRoute);
        refusal.Message.Should().Contain("Messaging:Routes:Organisations:northshire-trust:Sms").And.NotContain("07400").And.NotContain("+44");
        (await world.Store.GetCreditBalanceAsync(Trust)).Should().Be(balance, "nothing was charged");
        (await world.AuditCountAsync()).Should().Be(audit, "nothing was written");
        (await world.Store.QueryPatientHistoryAsync(new PatientHistoryQuery { WorkspaceId = Dermatology, PatientId = Jane, PageSize = 10 })).Messages.Should().BeEmpty("no message row");
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0, "nothing was queued");
        providers.Alpha.Calls.Should().Be(0);
    }

    [Fact]
    public async Task A_channel_no_route_names_keeps_every_provider_of_that_channel()
    {
        var (world, _) = await WorldAsync(o => o.Organisations[Trust.Value] = new Dictionary<string, IList<string>> { ["Sms"] = ["alpha"] });
        await using var __ = world;

        var message = await world.Messages.SendAsync(Alice, new SendMessageRequest
        {
            WorkspaceId = Dermatology, Channel = MessageChannel.Email, PatientId = Jane, Subject = "Your appointment", Body = "See you on Tuesday.",
        });
        await world.Dispatcher.DispatchDueAsync();

        (await world.Store.GetMessageAsync(message.Id))!.ProviderName.Should().Be("fake-email", "email is not routed, so the first registered provider sends");
    }

    [Fact]
    public async Task A_direct_message_is_refused_when_its_email_has_no_route_and_nothing_is_charged()
    {
        var (world, _) = await WorldAsync(o =>
        {
            o.Organisations[Trust.Value] = new Dictionary<string, IList<string>> { ["Sms"] = ["alpha"] };
            o.Organisations[Riverside.Value] = new Dictionary<string, IList<string>> { ["Email"] = ["trust-mail"] };
        });
        await using var __ = world;
        var balance = await world.Store.GetCreditBalanceAsync(Trust);
        var directMessages = world.Services.GetRequiredService<IDirectMessageService>();

        var send = () => directMessages.SendAsync(Alice, new SendDirectMessageRequest { WorkspaceId = Dermatology, PatientId = Jane, Subject = "Results", Body = "Your results." });

        (await send.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NoRoute);
        (await world.Store.GetCreditBalanceAsync(Trust)).Should().Be(balance);
    }

    [Fact]
    public async Task A_staff_notification_email_follows_its_organisations_email_route()
    {
        var (world, providers) = await WorldAsync(o => o.Organisations[Trust.Value] = new Dictionary<string, IList<string>> { ["Email"] = ["trust-mail"] });
        await using var _ = world;
        await SendSmsAsync(world, allowReply: true);
        await world.Dispatcher.DispatchDueAsync();
        var token = LinkPattern().Match(world.Sms.Accepted[^1].Body).Groups[1].Value;

        (await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, "Thank you")).Accepted.Should().BeTrue();
        await world.Dispatcher.DispatchDueAsync();

        var email = providers.TrustMail.Accepted.Should().ContainSingle().Subject;
        email.To.Value.Should().Be("alice@northshire.nhs.uk");
        email.OrganisationId.Should().Be(Trust, "the request names the organisation whose sender it goes out as");
        world.Email.Calls.Should().Be(0, "the provider registered first is not on the route");
    }

    public static TheoryData<string, string, string> BadRoutes() => new()
    {
        { "Messaging:Routes:Organisations:northshire-trust:Sms:0", "nobody", "Messaging:Routes:Organisations:northshire-trust:Sms:0 names provider 'nobody'" },
        { "Messaging:Routes:Organisations:northshire-trust:Email:0", "alpha", "Messaging:Routes:Organisations:northshire-trust:Email:0 names provider 'alpha', which is not a registered Email provider" },
        { "Messaging:Routes:Organisations:northshire-trust:Fax:0", "alpha", "Messaging:Routes:Organisations:northshire-trust:Fax is not a routed channel" },
        { "Messaging:Routes:Organisations:northshire-trust:Sms", "", "Messaging:Routes:Organisations:northshire-trust names no channel" },
        { "Messaging:Routes:Organisations:   :Sms:0", "alpha", "Messaging:Routes:Organisations:    is not an organisation id" },
        { "Messaging:Routes:Default:Sms:0", "nobody", "Messaging:Routes:Default:Sms:0 names provider 'nobody'" },
        { "Messaging:Routes:Default:Whatsapp:0", "alpha", "Messaging:Routes:Default:Whatsapp is not a routed channel" },
    };

    [Theory]
    [MemberData(nameof(BadRoutes))]
    public async Task A_bad_route_stops_the_host_at_start_naming_the_setting(string key, string value, string expected)
    {
        using var host = Host(new() { [key] = value });

        var start = () => host.StartAsync();

        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.OptionsType.Should().Be<ProviderRouteOptions>();
        failure.Message.Should().Contain(expected);
    }

    [Fact]
    public void An_empty_list_set_in_code_is_refused_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddPatientMessaging(o => { o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/"); o.LinkKey = TestSecrets.LinkKey; }).AddInMemoryStore();
        services.AddSingleton<ISmsProvider>(new FakeSmsProvider("alpha"));
        services.Configure<ProviderRouteOptions>(o => o.Default["Sms"] = []);
        using var provider = services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptions<ProviderRouteOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("Messaging:Routes:Default:Sms is empty");
    }

    [Fact]
    public async Task Good_routes_bind_from_configuration_and_start()
    {
        using var host = Host(new()
        {
            ["Messaging:Routes:Organisations:northshire-trust:Sms:0"] = "beta",
            ["Messaging:Routes:Organisations:northshire-trust:Sms:1"] = "alpha",
            ["Messaging:Routes:Organisations:northshire-trust:Email:0"] = "trust-mail",
            ["Messaging:Routes:Default:sms:0"] = "alpha",
        });

        await host.StartAsync();

        var routes = host.Services.GetRequiredService<IOptions<ProviderRouteOptions>>().Value;
        routes.Organisations["northshire-trust"]["Sms"].Should().Equal("beta", "alpha");
        routes.Organisations["northshire-trust"]["Email"].Should().Equal("trust-mail");
        routes.Default["Sms"].Should().Equal("alpha");
        await host.StopAsync();
    }

    private static IHost Host(Dictionary<string, string?> settings)
    {
        settings["Messaging:PublicBaseUrl"] = "https://ehr.example.nhs.uk/m/";
        settings["Messaging:LinkKey"] = TestSecrets.LinkKey;
        settings["Messaging:Outbox:RunInBackground"] = "false";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddPatientMessaging(configuration.GetSection("Messaging")).AddInMemoryStore();
        builder.Services.AddSingleton<ISmsProvider>(new FakeSmsProvider("alpha"));
        builder.Services.AddSingleton<ISmsProvider>(new FakeSmsProvider("beta"));
        builder.Services.AddSingleton<IEmailProvider>(new FakeEmailProvider("trust-mail"));
        return builder.Build();
    }
}
