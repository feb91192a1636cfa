using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Patients;

/// <summary>R33: private practices' clients may have no NHS number; when given it is still validated (R4).</summary>
public sealed class PatientsWithoutNhsNumberTests
{
    private static PatientRegistration Client(string id, string? nhsNumber = null) => new()
    {
        PatientId = new PatientId(id), NhsNumber = nhsNumber, DateOfBirth = new LocalDate(1988, 5, 9), GivenName = "Sam", FamilyName = "Green", Mobile = "07400 333444",
    };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_client_without_an_nhs_number_registers_and_is_found_by_the_hosts_id(string? nhsNumber)
    {
        await using var world = await CreateAsync();

        var registered = await world.Patients.RegisterAsync(Bob, Dermatology, Client("client-1", nhsNumber));

        registered.NhsNumber.Should().BeNull();
        (await world.Patients.GetAsync(Carol, Dermatology, new PatientId("client-1"))).Should().Be(registered);
    }

    [Fact]
    public async Task Many_clients_of_one_organisation_may_have_no_nhs_number()
    {
        await using var world = await CreateAsync();

        await world.Patients.RegisterAsync(Bob, Dermatology, Client("client-1"));
        await world.Patients.RegisterAsync(Bob, TrustDefault, Client("client-2"));
        await world.Patients.RegisterAsync(Bob, Dermatology, Client("client-1") with { GivenName = "Samuel" });

        (await world.Patients.GetAsync(Bob, Dermatology, new PatientId("client-1"))).GivenName.Should().Be("Samuel");
        (await world.Patients.GetAsync(Bob, Dermatology, new PatientId("client-2"))).NhsNumber.Should().BeNull();
    }

    [Fact]
    public async Task A_given_nhs_number_is_still_validated_and_unique_with_spaces_allowed()
    {
        await using var world = await CreateAsync();

        var badCheckDigit = () => world.Patients.RegisterAsync(Bob, Dermatology, Client("client-1", "943 476 5918"));
        var taken = () => world.Patients.RegisterAsync(Bob, Dermatology, Client("client-2", "9434765919"));

        (await badCheckDigit.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidNhsNumber);
        (await taken.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AlreadyExists);
        (await world.Patients.RegisterAsync(Bob, Dermatology, Client("client-3", " 401 023 2137 "))).NhsNumber!.Value.Value.Should().Be("4010232137");
    }

    /// <summary>Done-when: a lookup by NHS number for a patient without one finds nothing, and never matches on a missing number.</summary>
    [Fact]
    public async Task A_lookup_by_nhs_number_never_finds_a_patient_without_one()
    {
        await using var world = await CreateAsync();
        await world.Patients.RegisterAsync(Bob, Dermatology, Client("client-1"));
        await world.Patients.RegisterAsync(Bob, Dermatology, Client("client-2", "401 023 2137"));
        await world.Patients.RegisterAsync(Bob, Dermatology, Client("client-2"));   // the number is dropped

        var dropped = () => world.Patients.FindAsync(Carol, Dermatology, "401 023 2137", new LocalDate(1988, 5, 9));
        var blank = () => world.Patients.FindAsync(Carol, Dermatology, "", new LocalDate(1988, 5, 9));

        (await dropped.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.PatientNotFound);
        (await blank.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidNhsNumber);
    }

    [Fact]
    public async Task A_client_without_an_nhs_number_can_be_messaged_and_a_template_needing_one_is_refused()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var client = await world.Patients.RegisterAsync(Bob, Dermatology, Client("client-1"));

        var sms = await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = client.Id, Body = "See you on Friday." });
        var values = new Messaging.Templates.TemplateValues(new Messaging.Templates.PlaceholderRegistry(), 100).SetPatient(client);

        sms.PatientId.Should().Be(client.Id);
        values.HasValue(Messaging.Templates.BuiltInPlaceholders.PatientNhsNumber).Should().BeFalse("a missing value fails rendering instead of sending a half-filled message");
        values.HasValue(Messaging.Templates.BuiltInPlaceholders.PatientFirstName).Should().BeTrue();
    }
}
