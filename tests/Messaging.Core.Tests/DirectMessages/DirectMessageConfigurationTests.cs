using Messaging.DirectMessages;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Messaging.Tests.DirectMessages.DirectMessageWorld;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.DirectMessages;

public sealed class DirectMessageConfigurationTests
{
    [Fact]
    public async Task Without_a_pepper_the_first_Direct_Message_fails_naming_the_setting_and_writes_nothing()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var before = await world.AuditCountAsync();

        var send = async () => await world.DirectMessages().SendAsync(Bob, Request());

        (await send.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("Messaging:DirectMessages:Pepper");
        (await world.AuditCountAsync()).Should().Be(before);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(10);
    }

    [Fact]
    public async Task A_host_that_does_not_use_Direct_Messages_needs_no_pepper()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");

        await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Hello" });
        await world.Dispatcher.DispatchDueAsync();

        world.Sms.Accepted.Should().ContainSingle();
    }

    [Fact]
    public async Task AddDirectMessages_fails_start_up_without_a_pepper_naming_the_setting()
    {
        var error = await StartHostAsync(_ => { });

        error.Should().BeOfType<OptionsValidationException>().Which.Message.Should().Contain("Messaging:DirectMessages:Pepper is required");
    }

    [Fact]
    public async Task AddDirectMessages_starts_with_a_pepper()
    {
        var error = await StartHostAsync(o => o.Pepper = AccessCodeTestSupport.NewPepper());

        error.Should().BeNull();
    }

    [Fact]
    public async Task The_default_argon2_cost_is_stored_with_each_code()
    {
        await using var world = await DmWorldAsync(tweak: o => o.Argon2 = new Argon2idOptions());
        var (dm, token, code) = await SendAndDeliverAsync(world);

        var stored = await StoredAsync(world, dm.Id);

        stored.AccessCodeHash.Should().StartWith("$argon2id$v=19$m=19456,t=2,p=1$");
        (await world.DirectMessages().UnlockAsync(token, code)).Status.Should().Be(DirectMessageUnlockStatus.Unlocked);
    }

    private static async Task<Exception?> StartHostAsync(Action<DirectMessageSecurityOptions> configure)
        => await HostStart.TryAsync(services => services
            .AddPatientMessaging(o =>
        {
            o.PublicBaseUrl = new Uri("https://ehr.example.nhs.uk/m/");
            o.LinkKey = TestSecrets.LinkKey;
        })
            .AddInMemoryStore()
            .AddDirectMessages(configure));
}
