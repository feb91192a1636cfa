// The FHIR model declares every element nullable; these tests assert on elements they expect to be present.
#nullable disable warnings
using Hl7.Fhir.Model;
using Messaging.Tests.Support;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;
using R4 = Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Messaging.Fhir.Tests;

/// <summary>R33: a patient without an NHS number is exported with the host's id as their identifier and as every subject's.</summary>
public sealed class FhirPatientWithoutNhsNumberTests
{
    private static readonly PatientId Client = new("client-7");

    private static async Task<(TestWorld World, Bundle Bundle)> ExportAsync(Uri? patientSystem)
    {
        var world = await CreateAsync(configure: s => s.AddPatientMessaging().AddFhirExport(o => o.PatientIdentifierSystem = patientSystem));
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        await world.Patients.RegisterAsync(Alice, Dermatology, new PatientRegistration
        {
            PatientId = Client, DateOfBirth = new LocalDate(1990, 1, 2), GivenName = "Sam", FamilyName = "Green", Mobile = "07400 333444",
        });
        var sms = await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Client, Body = "Your appointment is on Friday." });
        var bundle = await world.Services.GetRequiredService<IFhirExportService>().ExportConversationAsync(Bob, sms.ConversationId);
        return (world, bundle);
    }

    [Fact]
    public async Task The_patient_and_every_subject_carry_the_hosts_id_in_the_configured_system()
    {
        var (world, bundle) = await ExportAsync(new Uri("https://practice.example/Id/client"));
        await using var _ = world;

        var patient = bundle.Entry.Select(e => e.Resource).OfType<R4.Patient>().Single();
        patient.Identifier.Should().ContainSingle().Which.Should().Match<Identifier>(i => i.System == "https://practice.example/Id/client" && i.Value == "client-7");
        var communications = bundle.Entry.Select(e => e.Resource).OfType<Communication>().ToList();
        communications.Should().NotBeEmpty().And.OnlyContain(c => c.Subject.Identifier.System == "https://practice.example/Id/client" && c.Subject.Identifier.Value == "client-7");
        bundle.ToJson().Should().NotContain("nhs-number");
    }

    [Fact]
    public async Task Without_a_configured_system_the_hosts_id_is_still_the_identifier()
    {
        var (world, bundle) = await ExportAsync(patientSystem: null);
        await using var _ = world;

        var patient = bundle.Entry.Select(e => e.Resource).OfType<R4.Patient>().Single();
        patient.Identifier.Should().ContainSingle().Which.Should().Match<Identifier>(i => i.System == null && i.Value == "client-7");
        bundle.Entry.Select(e => e.Resource).OfType<Communication>().Should().OnlyContain(c => c.Subject.Identifier.Value == "client-7");
    }

    [Fact]
    public async Task A_patient_with_an_nhs_number_is_the_subject_by_that_number()
    {
        await using var world = await CreateAsync(configure: s => s.AddPatientMessaging().AddFhirExport());
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var sms = await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Hello." });

        var bundle = await world.Services.GetRequiredService<IFhirExportService>().ExportConversationAsync(Bob, sms.ConversationId);

        bundle.Entry.Select(e => e.Resource).OfType<Communication>().Should().OnlyContain(c =>
            c.Subject.Identifier.System == "https://fhir.nhs.uk/Id/nhs-number" && c.Subject.Identifier.Value == "9434765919");
    }
}
