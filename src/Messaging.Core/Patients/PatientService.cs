using Messaging.Storage;
using Messaging.Workspaces;
using Microsoft.Extensions.Options;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Patients;

internal sealed class PatientService(
    IMessagingStore store,
    WorkspaceAccess access,
    MobileNumbers mobileNumbers,
    IClock clock,
    IOptions<PatientMessagingOptions> options) : IPatientService
{
    private const int MaxNameLength = 100;
    private static readonly LocalDate EarliestDateOfBirth = new(1880, 1, 1);
    private readonly DateTimeZone _zone = options.Value.ResolveTimeZone();

    public async Task<Patient> RegisterAsync(StaffId actor, WorkspaceId workspaceId, PatientRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var workspace = (await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var patient = Validate(workspace.OrganisationId, registration);

        // A friendly early refusal; the store enforces the same uniqueness at commit, against races. Patients without an
        // NHS number (R33) never clash.
        if (patient.NhsNumber is { } nhsNumber)
        {
            var holder = await store.FindPatientByNhsNumberAsync(workspace.OrganisationId, nhsNumber, cancellationToken).ConfigureAwait(false);
            if (holder is not null && holder.Id != patient.Id)
            {
                throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, $"Another patient of organisation '{workspace.OrganisationId}' has this NHS number.");
            }
        }

        await store.WriteAsync(
            work =>
            {
                work.UpsertPatient(patient);
                work.AppendAudit(Event(clock, workspace.OrganisationId, workspaceId, AuditActor.Staff(actor), AuditAction.PatientRegistered, patient.Id, patient.Id.Value));
            },
            cancellationToken).ConfigureAwait(false);
        return patient;
    }

    public async Task<Patient> FindAsync(StaffId actor, WorkspaceId workspaceId, string nhsNumber, LocalDate dateOfBirth, CancellationToken cancellationToken = default)
    {
        var workspace = (await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var number = NhsNumber.Parse(nhsNumber);
        var patient = await store.FindPatientByNhsNumberAsync(workspace.OrganisationId, number, cancellationToken).ConfigureAwait(false);
        if (patient is null || patient.DateOfBirth != dateOfBirth)
        {
            throw new MessagingNotFoundException(MessagingErrorCodes.PatientNotFound, "No patient matches both the NHS number and the date of birth.");
        }

        await store.WriteAsync(
            work =>
            {
                work.AppendAudit(Event(clock, workspace.OrganisationId, workspaceId, AuditActor.Staff(actor), AuditAction.PatientLookedUp, patient.Id, patient.Id.Value));
            },
            cancellationToken).ConfigureAwait(false);
        return patient;
    }

    public async Task<Patient> GetAsync(StaffId actor, WorkspaceId workspaceId, PatientId patientId, CancellationToken cancellationToken = default)
    {
        var workspace = (await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var patient = await store.GetPatientAsync(workspace.OrganisationId, patientId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.PatientNotFound(patientId);
        await store.WriteAsync(
            work => work.AppendAudit(Event(clock, workspace.OrganisationId, workspaceId, AuditActor.Staff(actor), AuditAction.PatientViewed, patient.Id, patient.Id.Value)),
            cancellationToken).ConfigureAwait(false);
        return patient;
    }

    private Patient Validate(OrganisationId organisationId, PatientRegistration registration)
    {
        var today = clock.GetCurrentInstant().InZone(_zone).Date;
        if (registration.DateOfBirth > today || registration.DateOfBirth < EarliestDateOfBirth)
        {
            throw new MessagingValidationException(MessagingErrorCodes.InvalidDateOfBirth, "The date of birth must be between 1880-01-01 and today.", "dateOfBirth");
        }

        return new Patient
        {
            OrganisationId = organisationId,
            Id = registration.PatientId,
            NhsNumber = string.IsNullOrWhiteSpace(registration.NhsNumber) ? null : NhsNumber.Parse(registration.NhsNumber),
            DateOfBirth = registration.DateOfBirth,
            GivenName = Errors.RequireText(registration.GivenName, "givenName", MaxNameLength),
            FamilyName = Errors.RequireText(registration.FamilyName, "familyName", MaxNameLength),
            Mobile = string.IsNullOrWhiteSpace(registration.Mobile) ? null : mobileNumbers.Parse(registration.Mobile),
            Email = string.IsNullOrWhiteSpace(registration.Email) ? null : EmailAddress.Parse(registration.Email),
            UpdatedAt = clock.GetCurrentInstant(),
        };
    }
}
