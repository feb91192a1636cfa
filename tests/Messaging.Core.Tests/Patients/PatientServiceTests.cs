using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Patients;

public sealed class PatientServiceTests
{
    private static PatientRegistration Registration(string id = "p-2002", string nhs = "401 023 2137", string? mobile = "07400 654321", string? email = "john@example.com")
        => new()
        {
            PatientId = new PatientId(id),
            NhsNumber = nhs,
            DateOfBirth = new LocalDate(1985, 6, 1),
            GivenName = " John ",
            FamilyName = "Smith",
            Mobile = mobile,
            Email = email,
        };

    [Fact]
    public async Task A_registered_patient_has_a_ten_digit_nhs_number_and_an_e164_mobile()
    {
        await using var world = await CreateAsync();

        var patient = await world.Patients.RegisterAsync(Bob, Dermatology, Registration());

        patient.NhsNumber!.Value.Value.Should().Be("4010232137");
        patient.Mobile!.Value.Value.Should().Be("+447400654321");
        patient.Email!.Value.Value.Should().Be("john@example.com");
        patient.GivenName.Should().Be("John");
        patient.OrganisationId.Should().Be(Trust);
    }

    [Fact]
    public async Task A_mobile_typed_in_international_form_is_stored_the_same()
    {
        await using var world = await CreateAsync();

        var patient = await world.Patients.RegisterAsync(Bob, Dermatology, Registration(mobile: "+44 (0)7400 654321"));

        patient.Mobile!.Value.Value.Should().Be("+447400654321");
    }

    [Theory]
    [InlineData("020 7946 0018")]   // a London landline: not a mobile
    [InlineData("07400 6543")]      // too short
    [InlineData("not a number")]
    public async Task A_number_that_is_not_a_valid_mobile_is_refused_and_nothing_is_written(string mobile)
    {
        await using var world = await CreateAsync();

        var act = () => world.Patients.RegisterAsync(Bob, Dermatology, Registration(mobile: mobile));

        var error = (await act.Should().ThrowAsync<MessagingValidationException>()).Which;
        error.ErrorCode.Should().Be(MessagingErrorCodes.InvalidPhoneNumber);
        error.Message.Should().NotContain(mobile);
        (await world.Store.GetPatientAsync(Trust, new PatientId("p-2002"))).Should().BeNull();
    }

    [Fact]
    public async Task An_invalid_email_is_refused()
    {
        await using var world = await CreateAsync();

        var act = () => world.Patients.RegisterAsync(Bob, Dermatology, Registration(email: "john@@example"));

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidEmail);
    }

    [Fact]
    public async Task A_wrong_nhs_check_digit_is_refused_and_nothing_is_written()
    {
        await using var world = await CreateAsync();

        var act = () => world.Patients.RegisterAsync(Bob, Dermatology, Registration(nhs: "401 023 2138"));

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidNhsNumber);
        (await world.Store.GetPatientAsync(Trust, new PatientId("p-2002"))).Should().BeNull();
    }

    [Fact]
    public async Task A_date_of_birth_in_the_future_is_refused()
    {
        await using var world = await CreateAsync();

        var act = () => world.Patients.RegisterAsync(Bob, Dermatology, Registration() with { DateOfBirth = new LocalDate(2027, 1, 1) });

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidDateOfBirth);
    }

    [Fact]
    public async Task An_nhs_number_held_by_another_patient_of_the_organisation_is_a_conflict()
    {
        await using var world = await CreateAsync();

        var act = () => world.Patients.RegisterAsync(Bob, Dermatology, Registration(nhs: PatientNhsNumber));

        (await act.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AlreadyExists);
    }

    [Fact]
    public async Task Registering_again_updates_the_patient_and_moves_the_nhs_number_index()
    {
        await using var world = await CreateAsync();
        await world.Patients.RegisterAsync(Bob, Dermatology, Registration());

        await world.Patients.RegisterAsync(Bob, Dermatology, Registration(nhs: "9876543210"));

        (await world.Patients.FindAsync(Bob, Dermatology, "9876543210", new LocalDate(1985, 6, 1))).Id.Value.Should().Be("p-2002");
        var old = () => world.Patients.FindAsync(Bob, Dermatology, "4010232137", new LocalDate(1985, 6, 1));
        await old.Should().ThrowAsync<MessagingNotFoundException>();
    }

    [Fact]
    public async Task A_lookup_by_nhs_number_and_date_of_birth_finds_the_patient_from_any_workspace_of_the_organisation()
    {
        await using var world = await CreateAsync();

        var found = await world.Patients.FindAsync(Carol, Dermatology, "9434765919", PatientDateOfBirth);

        found.Id.Should().Be(Jane);
    }

    [Fact]
    public async Task A_lookup_whose_date_of_birth_does_not_match_fails_exactly_like_an_unknown_number()
    {
        await using var world = await CreateAsync();

        var wrongBirthday = () => world.Patients.FindAsync(Carol, Dermatology, PatientNhsNumber, PatientDateOfBirth.PlusDays(1));
        var unknown = () => world.Patients.FindAsync(Carol, Dermatology, "4010232137", PatientDateOfBirth);

        var mismatch = (await wrongBirthday.Should().ThrowAsync<MessagingNotFoundException>()).Which;
        var missing = (await unknown.Should().ThrowAsync<MessagingNotFoundException>()).Which;
        mismatch.ErrorCode.Should().Be(MessagingErrorCodes.PatientNotFound);
        mismatch.Message.Should().Be(missing.Message);
    }

    [Fact]
    public async Task A_lookup_is_audited_with_the_patient_id()
    {
        await using var world = await CreateAsync();

        await world.Patients.FindAsync(Carol, Dermatology, PatientNhsNumber, PatientDateOfBirth);

        var events = await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Action = AuditAction.PatientLookedUp });
        events.Should().ContainSingle().Which.Should().Match<AuditEvent>(e => e.PatientId == Jane && e.Actor == AuditActor.Staff(Carol));
    }

    [Fact]
    public void A_patient_turned_into_text_shows_ids_only()
    {
        var patient = new Patient
        {
            OrganisationId = Trust,
            Id = Jane,
            NhsNumber = NhsNumber.Parse(PatientNhsNumber),
            DateOfBirth = PatientDateOfBirth,
            GivenName = "Jane",
            FamilyName = "Doe",
            UpdatedAt = Instant.FromUtc(2026, 1, 1, 0, 0),
        };

        patient.ToString().Should().Contain("p-1001").And.NotContain("Jane").And.NotContain("Doe").And.NotContain("9434765919");
    }
}
