using Messaging.Storage;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Templates;

/// <summary>
/// The store's commit-time template checks (R16, R21): two units of work that each read "name free" cannot both take
/// the name, a stale version never overwrites, and a failed commit leaves nothing behind.
/// </summary>
public sealed class TemplateStoreTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 9, 0);

    private static MessageTemplate Template(string name, StaffId? owner = null, bool shared = false, WorkspaceId? workspace = null) => new()
    {
        Id = TemplateId.New(),
        WorkspaceId = workspace ?? Dermatology,
        Owner = owner ?? Bob,
        Name = name,
        Body = "Dear {{patient.firstName}}",
        IsShared = shared,
        Version = 1,
        CreatedAt = Now,
        UpdatedAt = Now,
        UpdatedBy = owner ?? Bob,
    };

    private static async Task CommitAsync(IMessagingStore store, Action<IMessagingUnitOfWork> stage)
    {
        var work = await store.BeginAsync();
        await using (work)
        {
            stage(work);
            await work.CommitAsync();
        }
    }

    private static async Task<string> CommitRefusedAsync(IMessagingStore store, Action<IMessagingUnitOfWork> stage)
    {
        var act = () => CommitAsync(store, stage);
        return (await act.Should().ThrowAsync<MessagingException>()).Which.ErrorCode;
    }

    [Fact]
    public async Task Two_units_of_work_staged_before_either_commits_cannot_both_take_a_name()
    {
        await using var world = await CreateAsync();
        var first = await world.Store.BeginAsync();
        var second = await world.Store.BeginAsync();
        var mine = Template("Results ready");
        var theirs = Template("RESULTS READY ");
        first.AddTemplate(mine);
        second.AddTemplate(theirs);
        second.AppendAudit(new AuditEvent { Id = Guid.NewGuid(), OccurredAt = Now, OrganisationId = Trust, Actor = AuditActor.Staff(Bob), Action = AuditAction.TemplateCreated });
        var audits = await world.AuditCountAsync();

        await first.CommitAsync();
        var late = () => second.CommitAsync().AsTask();

        (await late.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.TemplateNameTaken);
        (await world.Store.ListTemplatesAsync(Dermatology, Bob)).Should().Equal(mine);
        (await world.Store.GetTemplateAsync(theirs.Id)).Should().BeNull();
        (await world.AuditCountAsync()).Should().Be(audits, "the failed unit of work's other writes are not applied either");
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Names_clash_only_within_one_set()
    {
        await using var world = await CreateAsync();
        var templates = new[]
        {
            Template("Results ready"),
            Template("Results ready", owner: Carol),
            Template("Results ready", shared: true),
            Template("Results ready", workspace: TrustDefault),
        };

        await CommitAsync(world.Store, work => Array.ForEach(templates, work.AddTemplate));

        (await world.Store.ListTemplatesAsync(Dermatology, Bob)).Should().Equal(templates[0], templates[2]);
        (await world.Store.ListTemplatesAsync(Dermatology, Carol)).Should().Equal(templates[1], templates[2]);
        (await CommitRefusedAsync(world.Store, work => work.AddTemplate(Template("results ready", owner: Alice, shared: true))))
            .Should().Be(MessagingErrorCodes.TemplateNameTaken);
    }

    [Fact]
    public async Task An_update_checks_the_version_then_the_name_in_its_new_set()
    {
        await using var world = await CreateAsync();
        var personal = Template("Results ready");
        var shared = Template("Results ready", owner: Carol, shared: true);
        await CommitAsync(world.Store, work =>
        {
            work.AddTemplate(personal);
            work.AddTemplate(shared);
        });

        (await CommitRefusedAsync(world.Store, work => work.UpdateTemplate(personal with { IsShared = true, Version = 2 }, expectedVersion: 1)))
            .Should().Be(MessagingErrorCodes.TemplateNameTaken);
        (await CommitRefusedAsync(world.Store, work => work.UpdateTemplate(personal with { Name = "Other", Version = 3 }, expectedVersion: 2)))
            .Should().Be(MessagingErrorCodes.ConcurrencyConflict);
        (await CommitRefusedAsync(world.Store, work => work.UpdateTemplate(Template("Ghost") with { Version = 2 }, expectedVersion: 1)))
            .Should().Be(MessagingErrorCodes.TemplateNotFound);

        var renamed = personal with { Name = "Other", Version = 2 };
        await CommitAsync(world.Store, work => work.UpdateTemplate(renamed, expectedVersion: 1));
        await CommitAsync(world.Store, work => work.AddTemplate(Template("results ready")));
        (await world.Store.GetTemplateAsync(personal.Id)).Should().Be(renamed);
    }

    [Fact]
    public async Task A_failed_commit_undoes_a_rename_so_the_old_name_stays_taken_and_the_new_one_free()
    {
        await using var world = await CreateAsync();
        var template = Template("Results ready");
        await CommitAsync(world.Store, work => work.AddTemplate(template));

        var error = await CommitRefusedAsync(world.Store, work =>
        {
            work.UpdateTemplate(template with { Name = "Appointment", Version = 2 }, expectedVersion: 1);
            work.DeleteTemplate(TemplateId.New(), expectedVersion: 1);
        });

        error.Should().Be(MessagingErrorCodes.TemplateNotFound);
        (await world.Store.GetTemplateAsync(template.Id)).Should().Be(template);
        (await CommitRefusedAsync(world.Store, work => work.AddTemplate(Template("results ready")))).Should().Be(MessagingErrorCodes.TemplateNameTaken);
        await CommitAsync(world.Store, work => work.AddTemplate(Template("Appointment")));
    }

    [Fact]
    public async Task A_delete_checks_the_version_and_frees_the_name()
    {
        await using var world = await CreateAsync();
        var template = Template("Results ready");
        await CommitAsync(world.Store, work => work.AddTemplate(template));

        (await CommitRefusedAsync(world.Store, work => work.DeleteTemplate(template.Id, expectedVersion: 2))).Should().Be(MessagingErrorCodes.ConcurrencyConflict);
        await CommitAsync(world.Store, work => work.DeleteTemplate(template.Id, expectedVersion: 1));

        (await world.Store.GetTemplateAsync(template.Id)).Should().BeNull();
        (await CommitRefusedAsync(world.Store, work => work.DeleteTemplate(template.Id, expectedVersion: 1))).Should().Be(MessagingErrorCodes.TemplateNotFound);
        await CommitAsync(world.Store, work => work.AddTemplate(Template("Results ready")));
    }
}
