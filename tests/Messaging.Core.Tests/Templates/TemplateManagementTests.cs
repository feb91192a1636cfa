using Messaging.Templates;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Templates;

/// <summary>R16's management rules through <see cref="ITemplateService"/>, each refusal with its code and nothing written.</summary>
public sealed class TemplateManagementTests
{
    private const string Body = "Dear {{patient.firstName}}, your results from {{workspace.name}} are ready.";

    private static CreateTemplateRequest Request(string name = "Results ready", WorkspaceId? workspace = null, bool shared = false, string body = Body, string? htmlBody = null)
        => new() { WorkspaceId = workspace ?? Dermatology, Name = name, Body = body, HtmlBody = htmlBody, Shared = shared };

    private static UpdateTemplateRequest Edit(MessageTemplate template, string? name = null, string? body = null, long? expectedVersion = null)
        => new() { ExpectedVersion = expectedVersion ?? template.Version, Name = name ?? template.Name, Body = body ?? template.Body, HtmlBody = template.HtmlBody };

    private static async Task<T> Refused<T>(Func<Task> act, string code)
        where T : MessagingException
    {
        var error = (await act.Should().ThrowAsync<T>()).Which;
        error.ErrorCode.Should().Be(code);
        return error;
    }

    [Fact]
    public async Task A_member_creates_a_personal_template_at_version_1_owned_by_them()
    {
        await using var world = await CreateAsync();

        var template = await world.Templates.CreateAsync(Bob, Request(name: "  Results ready  ", htmlBody: "<p>Dear {{patient.firstName}}</p>"));

        template.Should().BeEquivalentTo(new
        {
            WorkspaceId = Dermatology,
            Owner = Bob,
            Name = "Results ready",
            Body,
            HtmlBody = "<p>Dear {{patient.firstName}}</p>",
            IsShared = false,
            Version = 1L,
            CreatedAt = template.UpdatedAt,
            UpdatedBy = Bob,
        });
        (await world.Store.GetTemplateAsync(template.Id)).Should().Be(template);
        (await world.Templates.GetAsync(Bob, template.Id)).Should().Be(template);
    }

    [Fact]
    public async Task A_non_member_is_refused_by_every_call_and_nothing_changes()
    {
        await using var world = await CreateAsync();
        var shared = await world.Templates.CreateAsync(Bob, Request(shared: true));
        var audits = await world.AuditCountAsync();

        await Refused<MessagingAuthorizationException>(() => world.Templates.CreateAsync(Mallory, Request(name: "Mine")), MessagingErrorCodes.NotAMember);
        await Refused<MessagingAuthorizationException>(() => world.Templates.ListAsync(Mallory, Dermatology), MessagingErrorCodes.NotAMember);
        await Refused<MessagingAuthorizationException>(() => world.Templates.GetAsync(Mallory, shared.Id), MessagingErrorCodes.NotAMember);
        await Refused<MessagingAuthorizationException>(() => world.Templates.UpdateAsync(Mallory, shared.Id, Edit(shared, name: "Hijacked")), MessagingErrorCodes.NotAMember);
        await Refused<MessagingAuthorizationException>(() => world.Templates.DeleteAsync(Mallory, shared.Id, shared.Version), MessagingErrorCodes.NotAMember);
        await Refused<MessagingAuthorizationException>(() => world.Templates.UnshareAsync(Mallory, shared.Id, shared.Version), MessagingErrorCodes.NotAMember);
        await Refused<MessagingAuthorizationException>(() => world.Templates.ShareAsync(Mallory, shared.Id, shared.Version), MessagingErrorCodes.NotAMember);

        (await world.Store.GetTemplateAsync(shared.Id)).Should().Be(shared);
        (await world.Store.ListTemplatesAsync(Dermatology, Mallory)).Should().Equal(shared);
        (await world.AuditCountAsync()).Should().Be(audits);
    }

    [Fact]
    public async Task A_personal_template_is_invisible_to_every_other_member_admins_included()
    {
        await using var world = await CreateAsync();
        var personal = await world.Templates.CreateAsync(Bob, Request());

        (await world.Templates.ListAsync(Carol, Dermatology)).Should().BeEquivalentTo(new TemplateList([], []));
        (await world.Templates.ListAsync(Alice, Dermatology)).Personal.Should().BeEmpty();
        await Refused<MessagingNotFoundException>(() => world.Templates.GetAsync(Carol, personal.Id), MessagingErrorCodes.TemplateNotFound);
        await Refused<MessagingNotFoundException>(() => world.Templates.GetAsync(Alice, personal.Id), MessagingErrorCodes.TemplateNotFound);
        await Refused<MessagingNotFoundException>(() => world.Templates.UpdateAsync(Alice, personal.Id, Edit(personal, name: "Admin's now")), MessagingErrorCodes.TemplateNotFound);
        await Refused<MessagingNotFoundException>(() => world.Templates.DeleteAsync(Alice, personal.Id, personal.Version), MessagingErrorCodes.TemplateNotFound);
        await Refused<MessagingNotFoundException>(() => world.Templates.ShareAsync(Carol, personal.Id, personal.Version), MessagingErrorCodes.TemplateNotFound);

        (await world.Templates.ListAsync(Bob, Dermatology)).Personal.Should().Equal(personal);
        (await world.Store.GetTemplateAsync(personal.Id)).Should().Be(personal);
    }

    [Fact]
    public async Task A_shared_template_is_listed_for_and_readable_by_every_member_of_its_workspace_only()
    {
        await using var world = await CreateAsync();
        var shared = await world.Templates.CreateAsync(Bob, Request(shared: true));
        var bobsOwn = await world.Templates.CreateAsync(Bob, Request(name: "Appointment reminder"));
        var carolsOwn = await world.Templates.CreateAsync(Carol, Request(name: "Clinic moved"));

        var carols = await world.Templates.ListAsync(Carol, Dermatology);
        carols.Shared.Should().Equal(shared);
        carols.Personal.Should().Equal(carolsOwn);
        (await world.Templates.ListAsync(Bob, Dermatology)).Should().BeEquivalentTo(new TemplateList([bobsOwn], [shared]));
        (await world.Templates.GetAsync(Carol, shared.Id)).Should().Be(shared);
        (await world.Templates.ListAsync(Carol, TrustDefault)).Should().BeEquivalentTo(new TemplateList([], []), "templates belong to one workspace");
    }

    [Fact]
    public async Task Lists_are_ordered_by_name_ignoring_case()
    {
        await using var world = await CreateAsync();
        foreach (var name in new[] { "clinic moved", "Appointment reminder", "Biopsy results" })
        {
            await world.Templates.CreateAsync(Bob, Request(name: name));
        }

        (await world.Templates.ListAsync(Bob, Dermatology)).Personal.Select(t => t.Name)
            .Should().Equal("Appointment reminder", "Biopsy results", "clinic moved");
    }

    [Fact]
    public async Task A_member_who_neither_owns_a_shared_template_nor_is_an_admin_cannot_change_it()
    {
        await using var world = await CreateAsync();
        var shared = await world.Templates.CreateAsync(Bob, Request(shared: true));
        var audits = await world.AuditCountAsync();

        await Refused<MessagingAuthorizationException>(() => world.Templates.UpdateAsync(Carol, shared.Id, Edit(shared, body: "Changed")), MessagingErrorCodes.NotTemplateOwner);
        await Refused<MessagingAuthorizationException>(() => world.Templates.DeleteAsync(Carol, shared.Id, shared.Version), MessagingErrorCodes.NotTemplateOwner);
        await Refused<MessagingAuthorizationException>(() => world.Templates.UnshareAsync(Carol, shared.Id, shared.Version), MessagingErrorCodes.NotTemplateOwner);

        (await world.Store.GetTemplateAsync(shared.Id)).Should().Be(shared);
        (await world.AuditCountAsync()).Should().Be(audits);
    }

    [Fact]
    public async Task A_workspace_admin_may_edit_and_delete_a_shared_template_the_owner_keeps_ownership()
    {
        await using var world = await CreateAsync();
        var shared = await world.Templates.CreateAsync(Bob, Request(shared: true));
        world.Clock.AdvanceMinutes(5);

        var edited = await world.Templates.UpdateAsync(Alice, shared.Id, Edit(shared, name: "Results are ready", body: "Hello {{patient.firstName}}"));

        edited.Should().BeEquivalentTo(new { Owner = Bob, UpdatedBy = Alice, Version = 2L, Name = "Results are ready", Body = "Hello {{patient.firstName}}", shared.CreatedAt, IsShared = true });
        (edited.UpdatedAt - shared.CreatedAt).Should().BeGreaterThanOrEqualTo(Duration.FromMinutes(5));
        (await world.Templates.GetAsync(Carol, shared.Id)).Should().Be(edited);

        await world.Templates.DeleteAsync(Alice, shared.Id, edited.Version);

        (await world.Store.GetTemplateAsync(shared.Id)).Should().BeNull();
        await Refused<MessagingNotFoundException>(() => world.Templates.GetAsync(Bob, shared.Id), MessagingErrorCodes.TemplateNotFound);
    }

    [Fact]
    public async Task The_owner_edits_and_deletes_their_own_template()
    {
        await using var world = await CreateAsync();
        var template = await world.Templates.CreateAsync(Bob, Request(htmlBody: "<p>{{patient.firstName}}</p>"));

        var edited = await world.Templates.UpdateAsync(Bob, template.Id, Edit(template, body: "Hi {{patient.firstName}}") with { HtmlBody = null });
        edited.Should().BeEquivalentTo(new { Version = 2L, Body = "Hi {{patient.firstName}}", HtmlBody = (string?)null, UpdatedBy = Bob });

        await world.Templates.DeleteAsync(Bob, template.Id, edited.Version);
        (await world.Templates.ListAsync(Bob, Dermatology)).Personal.Should().BeEmpty();
    }

    [Fact]
    public async Task Sharing_in_an_organisations_default_workspace_is_refused_at_create_and_at_share()
    {
        await using var world = await CreateAsync();
        var personal = await world.Templates.CreateAsync(Bob, Request(workspace: TrustDefault));
        var audits = await world.AuditCountAsync();

        var atCreate = await Refused<MessagingValidationException>(() => world.Templates.CreateAsync(Bob, Request(name: "Shared one", workspace: TrustDefault, shared: true)), MessagingErrorCodes.TemplateSharingNotAllowed);
        atCreate.Field.Should().Be("shared");
        await Refused<MessagingValidationException>(() => world.Templates.ShareAsync(Bob, personal.Id, personal.Version), MessagingErrorCodes.TemplateSharingNotAllowed);

        (await world.Store.ListTemplatesAsync(TrustDefault, Bob)).Should().Equal(personal);
        (await world.AuditCountAsync()).Should().Be(audits);
    }

    [Fact]
    public async Task Share_and_unshare_move_a_template_between_its_owner_and_the_workspace()
    {
        await using var world = await CreateAsync();
        var personal = await world.Templates.CreateAsync(Bob, Request());

        var shared = await world.Templates.ShareAsync(Bob, personal.Id, personal.Version);

        shared.Should().BeEquivalentTo(new { IsShared = true, Version = 2L, Owner = Bob });
        (await world.Templates.ListAsync(Carol, Dermatology)).Shared.Should().Equal(shared);
        (await world.Templates.ShareAsync(Bob, shared.Id, shared.Version)).Should().Be(shared, "sharing a shared template changes nothing");

        var unshared = await world.Templates.UnshareAsync(Alice, shared.Id, shared.Version);

        unshared.Should().BeEquivalentTo(new { IsShared = false, Version = 3L, Owner = Bob, UpdatedBy = Alice });
        (await world.Templates.ListAsync(Carol, Dermatology)).Shared.Should().BeEmpty();
        (await world.Templates.ListAsync(Bob, Dermatology)).Personal.Should().Equal(unshared);
        await Refused<MessagingNotFoundException>(() => world.Templates.GetAsync(Alice, unshared.Id), MessagingErrorCodes.TemplateNotFound);
    }

    [Fact]
    public async Task A_personal_name_is_unique_per_owner_and_workspace_ignoring_case_and_spaces()
    {
        await using var world = await CreateAsync();
        await world.Templates.CreateAsync(Bob, Request(name: "Results ready"));

        await Refused<MessagingConflictException>(() => world.Templates.CreateAsync(Bob, Request(name: "  results READY ")), MessagingErrorCodes.TemplateNameTaken);

        await world.Templates.CreateAsync(Carol, Request(name: "Results ready"));
        await world.Templates.CreateAsync(Bob, Request(name: "Results ready", workspace: TrustDefault));
        await world.Templates.CreateAsync(Bob, Request(name: "Results ready", shared: true));
        (await world.Store.ListTemplatesAsync(Dermatology, Bob)).Should().HaveCount(2, "Bob's personal one and the shared one");
    }

    [Fact]
    public async Task A_shared_name_is_unique_within_the_workspaces_shared_templates()
    {
        await using var world = await CreateAsync();
        await world.Templates.CreateAsync(Bob, Request(name: "Clinic letter", shared: true));

        await Refused<MessagingConflictException>(() => world.Templates.CreateAsync(Carol, Request(name: "CLINIC LETTER", shared: true)), MessagingErrorCodes.TemplateNameTaken);

        var carols = await world.Templates.CreateAsync(Carol, Request(name: "Clinic letter"));
        await Refused<MessagingConflictException>(() => world.Templates.ShareAsync(Carol, carols.Id, carols.Version), MessagingErrorCodes.TemplateNameTaken);
        (await world.Store.GetTemplateAsync(carols.Id)).Should().Be(carols);
    }

    [Fact]
    public async Task Renaming_or_unsharing_into_a_name_already_taken_is_refused()
    {
        await using var world = await CreateAsync();
        await world.Templates.CreateAsync(Bob, Request(name: "Results ready"));
        var other = await world.Templates.CreateAsync(Bob, Request(name: "Appointment"));
        var shared = await world.Templates.CreateAsync(Bob, Request(name: "results ready", shared: true));

        await Refused<MessagingConflictException>(() => world.Templates.UpdateAsync(Bob, other.Id, Edit(other, name: "RESULTS READY")), MessagingErrorCodes.TemplateNameTaken);
        await Refused<MessagingConflictException>(() => world.Templates.UnshareAsync(Bob, shared.Id, shared.Version), MessagingErrorCodes.TemplateNameTaken);

        (await world.Store.GetTemplateAsync(other.Id)).Should().Be(other);
        (await world.Store.GetTemplateAsync(shared.Id)).Should().Be(shared);
    }

    [Fact]
    public async Task A_deleted_templates_name_can_be_used_again()
    {
        await using var world = await CreateAsync();
        var first = await world.Templates.CreateAsync(Bob, Request());
        await world.Templates.DeleteAsync(Bob, first.Id, first.Version);

        var second = await world.Templates.CreateAsync(Bob, Request());

        second.Id.Should().NotBe(first.Id);
    }

    [Fact]
    public async Task Of_many_concurrent_creates_with_one_name_exactly_one_wins()
    {
        await using var world = await CreateAsync();

        var attempts = Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => world.Templates.CreateAsync(i % 2 == 0 ? Bob : Alice, Request(name: i % 3 == 0 ? "Results READY" : "results ready", shared: true))))
            .ToList();
        var outcome = await Task.WhenAll(attempts.Select(async t =>
        {
            try
            {
                await t;
                return "won";
            }
            catch (MessagingConflictException e)
            {
                return e.ErrorCode;
            }
        }));

        outcome.Count(o => o == "won").Should().Be(1);
        outcome.Where(o => o != "won").Should().AllBe(MessagingErrorCodes.TemplateNameTaken).And.HaveCount(15);
        (await world.Store.ListTemplatesAsync(Dermatology, Carol)).Should().ContainSingle();
    }

    [Fact]
    public async Task An_edit_or_delete_at_a_stale_version_is_a_concurrency_conflict_and_changes_nothing()
    {
        await using var world = await CreateAsync();
        var original = await world.Templates.CreateAsync(Bob, Request(shared: true));
        var byAlice = await world.Templates.UpdateAsync(Alice, original.Id, Edit(original, body: "Alice's {{patient.firstName}}"));

        await Refused<MessagingConflictException>(() => world.Templates.UpdateAsync(Bob, original.Id, Edit(original, body: "Bob's {{patient.firstName}}")), MessagingErrorCodes.ConcurrencyConflict);
        await Refused<MessagingConflictException>(() => world.Templates.DeleteAsync(Bob, original.Id, original.Version), MessagingErrorCodes.ConcurrencyConflict);
        await Refused<MessagingConflictException>(() => world.Templates.UnshareAsync(Bob, original.Id, original.Version), MessagingErrorCodes.ConcurrencyConflict);
        await Refused<MessagingConflictException>(() => world.Templates.UpdateAsync(Bob, original.Id, Edit(byAlice, expectedVersion: 7)), MessagingErrorCodes.ConcurrencyConflict);

        (await world.Store.GetTemplateAsync(original.Id)).Should().Be(byAlice);
    }

    [Fact]
    public async Task Of_two_concurrent_edits_from_one_version_exactly_one_is_applied()
    {
        await using var world = await CreateAsync();
        var template = await world.Templates.CreateAsync(Bob, Request(shared: true));

        var results = await Task.WhenAll(new[] { Bob, Alice }.Select(actor => Task.Run(async () =>
        {
            try
            {
                return await world.Templates.UpdateAsync(actor, template.Id, Edit(template, body: $"From {actor}: {{{{patient.firstName}}}}"));
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ConcurrencyConflict)
            {
                return null;
            }
        })));

        var winner = results.Should().ContainSingle(r => r != null).Subject!;
        (await world.Store.GetTemplateAsync(template.Id)).Should().Be(winner);
        winner.Version.Should().Be(2);
    }

    [Fact]
    public async Task An_unknown_placeholder_in_the_body_is_refused_when_saved_with_its_position_and_field()
    {
        await using var world = await CreateAsync();

        var error = await Refused<TemplateParseException>(() => world.Templates.CreateAsync(Bob, Request(body: "Dear {{patient.firstName}},\nSee you {{appointment.dat}}.")), TemplateErrorCodes.UnknownPlaceholder);

        (error.Field, error.Line, error.Column, error.Offset, error.Placeholder).Should().Be(("body", 2, 11, 38, "appointment.dat"));
        error.Message.Should().StartWith("body: Template error at line 2, column 11");
        (await world.Store.ListTemplatesAsync(Dermatology, Bob)).Should().BeEmpty();
    }

    [Fact]
    public async Task An_unclosed_brace_in_the_html_body_is_refused_when_edited_with_its_position_and_field()
    {
        await using var world = await CreateAsync();
        var template = await world.Templates.CreateAsync(Bob, Request());

        var error = await Refused<TemplateParseException>(
            () => world.Templates.UpdateAsync(Bob, template.Id, Edit(template) with { HtmlBody = "<p>Dear {{patient.firstName</p>" }),
            TemplateErrorCodes.UnclosedTag);

        (error.Field, error.Line, error.Column, error.Offset).Should().Be(("htmlBody", 1, 9, 8));
        (await world.Store.GetTemplateAsync(template.Id)).Should().Be(template);
    }

    [Theory]
    [InlineData("", Body, MessagingErrorCodes.Required, "name")]
    [InlineData("Results", "  ", MessagingErrorCodes.Required, "body")]
    [InlineData("A name far too long for any template list: it goes on and on, well past what fits on the screen of a clinic PC", Body, MessagingErrorCodes.TooLong, "name")]
    public async Task A_blank_or_overlong_name_or_body_is_refused(string name, string body, string code, string field)
    {
        await using var world = await CreateAsync();

        var error = await Refused<MessagingValidationException>(() => world.Templates.CreateAsync(Bob, Request(name: name, body: body)), code);

        error.Field.Should().Be(field);
    }

    [Fact]
    public async Task Every_change_is_audited_with_ids_and_states_only()
    {
        await using var world = await CreateAsync();
        var template = await world.Templates.CreateAsync(Bob, Request(name: "Jane's biopsy"));
        var edited = await world.Templates.UpdateAsync(Bob, template.Id, Edit(template, body: "Hi {{patient.firstName}}"));
        var shared = await world.Templates.ShareAsync(Bob, template.Id, edited.Version);
        var unshared = await world.Templates.UnshareAsync(Bob, template.Id, shared.Version);
        await world.Templates.DeleteAsync(Bob, template.Id, unshared.Version);

        var events = await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, TargetId = template.Id.ToString() });

        events.Select(e => (e.Action, e.Details!["version"], e.Details["shared"])).Should().Equal(
            (AuditAction.TemplateCreated, "1", "false"),
            (AuditAction.TemplateEdited, "2", "false"),
            (AuditAction.TemplateShared, "3", "true"),
            (AuditAction.TemplateUnshared, "4", "false"),
            (AuditAction.TemplateDeleted, "4", "false"));
        events.Should().AllSatisfy(e =>
        {
            e.Actor.Should().Be(AuditActor.Staff(Bob));
            e.WorkspaceId.Should().Be(Dermatology);
            e.PatientId.Should().BeNull();
            e.Details!["owner"].Should().Be(Bob.Value);
            e.Details.Values.Should().NotContain(v => v.Contains("Jane", StringComparison.Ordinal) || v.Contains("{{", StringComparison.Ordinal));
        });
    }
}
