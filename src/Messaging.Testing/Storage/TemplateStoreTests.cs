using NodaTime;
using Xunit;

namespace Messaging.Testing.Storage;

/// <summary>Message templates (R16): visibility, the name sets checked at commit, versions, deletes.</summary>
public abstract class TemplateStoreTests : StoreConformanceTests
{
    /// <summary>A member sees the workspace's shared templates and their own personal ones, by name key, personal first.</summary>
    [StoreFact]
    public async Task A_member_lists_shared_and_own_personal_templates_by_name()
    {
        var mine = Template("results ready", Bob);
        var shared = Template("Results Ready", Alice, shared: true);
        var first = Template("Appointment", Carol, shared: true);
        var carols = Template("Zebra", Carol);
        var elsewhere = Template("Appointment", Bob, shared: true, workspaceId: OtherWs);
        await WriteAsync(work =>
        {
            foreach (var t in new[] { mine, shared, first, carols, elsewhere })
            {
                work.AddTemplate(t);
            }
        });

        Assert.Equal([first.Id, mine.Id, shared.Id], (await Store.ListTemplatesAsync(Ws, Bob)).Select(t => t.Id));
        Assert.Equal([first.Id, shared.Id, carols.Id], (await Store.ListTemplatesAsync(Ws, Carol)).Select(t => t.Id));
        Assert.Equal(mine, await Store.GetTemplateAsync(mine.Id));
        Assert.Null(await Store.GetTemplateAsync(TemplateId.New()));
    }

    /// <summary>Names are unique (trimmed, case-insensitively) among the workspace's shared templates and among each owner's personal ones.</summary>
    [StoreFact]
    public async Task Names_are_unique_within_each_name_set()
    {
        await WriteAsync(work =>
        {
            work.AddTemplate(Template("Results ready", Bob));
            work.AddTemplate(Template("Results ready", Alice, shared: true));
            work.AddTemplate(Template("Results ready", Carol));
            work.AddTemplate(Template("Results ready", Bob, shared: true, workspaceId: OtherWs));
        });

        await CommitFailsAsync<MessagingConflictException>(work => work.AddTemplate(Template(" RESULTS READY", Bob)), MessagingErrorCodes.TemplateNameTaken);
        await CommitFailsAsync<MessagingConflictException>(work => work.AddTemplate(Template("results ready ", Carol, shared: true)), MessagingErrorCodes.TemplateNameTaken);
        var existing = (await Store.ListTemplatesAsync(Ws, Bob))[0];
        await CommitFailsAsync<MessagingConflictException>(work => work.AddTemplate(existing with { Name = "Another" }), MessagingErrorCodes.AlreadyExists);
    }

    /// <summary>Two units that each found a name free cannot both take it: the first commit wins, the second applies nothing.</summary>
    [StoreFact]
    public async Task Two_units_staged_before_either_commits_cannot_both_take_a_name()
    {
        var first = await Store.BeginAsync();
        var second = await Store.BeginAsync();
        first.AddTemplate(Template("Results ready", Bob, shared: true));
        var loser = Template("RESULTS READY", Carol, shared: true);
        second.AddTemplate(loser);
        second.AppendAudit(Audit(AuditAction.TemplateCreated));

        await first.CommitAsync();
        var error = await Assert.ThrowsAsync<MessagingConflictException>(() => second.CommitAsync().AsTask());
        await first.DisposeAsync();
        await second.DisposeAsync();

        Assert.Equal(MessagingErrorCodes.TemplateNameTaken, error.ErrorCode);
        Assert.Null(await Store.GetTemplateAsync(loser.Id));
        Assert.Empty(await Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Org }));
    }

    /// <summary>Updates are version-checked; renaming or sharing into a taken name is refused; the template keeps its own name freely.</summary>
    [StoreFact]
    public async Task Updates_check_the_version_and_the_name_in_the_new_set()
    {
        var template = Template("Results ready", Bob);
        var sharedTaken = Template("Clinic moved", Alice, shared: true);
        await WriteAsync(work =>
        {
            work.AddTemplate(template);
            work.AddTemplate(sharedTaken);
            work.AddTemplate(Template("Clinic moved", Bob));
        });

        var edited = template with { Body = "New body", Version = 2, UpdatedAt = T0 + Duration.FromMinutes(1), UpdatedBy = Alice };
        await WriteAsync(work => work.UpdateTemplate(edited, 1));
        Assert.Equal(edited, await Store.GetTemplateAsync(template.Id));

        await CommitFailsAsync<MessagingConflictException>(work => work.UpdateTemplate(template with { Body = "stale", Version = 2 }, 1), MessagingErrorCodes.ConcurrencyConflict);
        await CommitFailsAsync<MessagingConflictException>(work => work.UpdateTemplate(edited with { Name = "clinic MOVED", Version = 3 }, 2), MessagingErrorCodes.TemplateNameTaken);
        var shareClash = Template("Clinic moved", Carol);
        await WriteAsync(work => work.AddTemplate(shareClash));
        await CommitFailsAsync<MessagingConflictException>(work => work.UpdateTemplate(shareClash with { IsShared = true, Version = 2 }, 1), MessagingErrorCodes.TemplateNameTaken);
        await CommitFailsAsync<MessagingNotFoundException>(work => work.UpdateTemplate(Template("Ghost", Bob) with { Version = 2 }, 1), MessagingErrorCodes.TemplateNotFound);
        Assert.Equal(edited, await Store.GetTemplateAsync(template.Id));

        var shared = edited with { IsShared = true, Version = 3 };
        await WriteAsync(work => work.UpdateTemplate(shared, 2));
        Assert.True((await Store.GetTemplateAsync(template.Id))!.IsShared);
    }

    /// <summary>Deleting is version-checked and frees the name; a missing template is "not found".</summary>
    [StoreFact]
    public async Task Deleting_checks_the_version_and_frees_the_name()
    {
        var template = Template("Results ready", Alice, shared: true);
        await WriteAsync(work => work.AddTemplate(template));

        await CommitFailsAsync<MessagingConflictException>(work => work.DeleteTemplate(template.Id, 7), MessagingErrorCodes.ConcurrencyConflict);
        await WriteAsync(work => work.DeleteTemplate(template.Id, 1));
        await CommitFailsAsync<MessagingNotFoundException>(work => work.DeleteTemplate(template.Id, 1), MessagingErrorCodes.TemplateNotFound);

        Assert.Null(await Store.GetTemplateAsync(template.Id));
        await WriteAsync(work => work.AddTemplate(Template("Results ready", Bob, shared: true)));
    }

    private static MessageTemplate Template(string name, StaffId owner, bool shared = false, WorkspaceId? workspaceId = null) => new()
    {
        Id = TemplateId.New(),
        WorkspaceId = workspaceId ?? Ws,
        Owner = owner,
        Name = name,
        Body = "Dear {{patient.firstName}}, your results are ready.",
        HtmlBody = shared ? "<p>Dear {{patient.firstName}}</p>" : null,
        IsShared = shared,
        Version = 1,
        CreatedAt = T0,
        UpdatedAt = T0,
        UpdatedBy = owner,
    };
}

/// <summary>In-app notifications (R9, R17) and attachment records and links (R11).</summary>
public abstract class NotificationStoreTests : StoreConformanceTests
{
    /// <summary>A member's notifications page newest first (ties by id), per workspace, optionally unread only, with an unread count.</summary>
    [StoreFact]
    public async Task Notifications_page_newest_first_per_member_and_workspace()
    {
        var notifications = Enumerable.Range(0, 9).Select(i => Notification(Bob, T0 + Duration.FromSeconds(i / 3))).ToList();
        await WriteAsync(work =>
        {
            notifications.ForEach(work.AddNotification);
            work.AddNotification(Notification(Carol, T0));
            work.AddNotification(Notification(Bob, T0) with { WorkspaceId = OtherWs });
        });
        await WriteAsync(work =>
        {
            work.MarkNotificationRead(notifications[1].Id, T0 + Duration.FromMinutes(1));
            work.MarkNotificationRead(notifications[5].Id, T0 + Duration.FromMinutes(1));
        });

        var expected = notifications.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id.Value).Select(n => n.Id).ToList();
        Assert.Equal(expected, await PageThroughAsync(unreadOnly: false, pageSize: 4));
        Assert.Equal(expected.Where(id => id != notifications[1].Id && id != notifications[5].Id), await PageThroughAsync(unreadOnly: true, pageSize: 2));
        Assert.Equal(7, await Store.CountUnreadNotificationsAsync(Ws, Bob));
        Assert.Equal(1, await Store.CountUnreadNotificationsAsync(OtherWs, Bob));
        Assert.Equal(0, await Store.CountUnreadNotificationsAsync(Ws, Alice));
    }

    /// <summary>Marking read keeps the first read time; a missing notification is not an error.</summary>
    [StoreFact]
    public async Task Marking_a_notification_read_keeps_the_first_time()
    {
        var notification = Notification(Bob, T0);
        await WriteAsync(work => work.AddNotification(notification));

        await WriteAsync(work => work.MarkNotificationRead(notification.Id, T0 + Duration.FromMinutes(1)));
        await WriteAsync(work => work.MarkNotificationRead(notification.Id, T0 + Duration.FromMinutes(2)));
        await WriteAsync(work => work.MarkNotificationRead(NotificationId.New(), T0));

        Assert.Equal(notification with { ReadAt = T0 + Duration.FromMinutes(1) }, await Store.GetNotificationAsync(notification.Id));
        Assert.Null(await Store.GetNotificationAsync(NotificationId.New()));
        await CommitFailsAsync<MessagingConflictException>(work => work.AddNotification(notification), MessagingErrorCodes.AlreadyExists);
    }

    /// <summary>Adding a link again for the same message and attachment (a retry re-adds the same derived link, R29) neither fails nor changes the stored one.</summary>
    [StoreFact]
    public async Task Adding_the_same_link_again_for_its_message_and_attachment_changes_nothing()
    {
        var attachment = new Attachment
        {
            Id = AttachmentId.New(), OrganisationId = Org, WorkspaceId = Ws, FileName = "results.pdf", ContentType = "application/pdf",
            Length = 1_234, Sha256 = new string('a', 64), UploadedBy = Alice, CreatedAt = T0,
        };
        var link = new AttachmentLink
        {
            TokenHash = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), AttachmentId = attachment.Id, MessageId = MessageId.New(), OrganisationId = Org,
            IssuedAt = T0, ExpiresAt = T0 + Duration.FromDays(7),
        };
        await WriteAsync(work =>
        {
            work.AddAttachment(attachment);
            work.AddAttachmentLink(link);
        });

        await WriteAsync(work => work.AddAttachmentLink(link with { IssuedAt = T0 + Duration.FromMinutes(5), ExpiresAt = T0 + Duration.FromDays(8) }));

        Assert.Equal(link, await Store.FindAttachmentLinkAsync(link.TokenHash));
        await CommitFailsAsync<MessagingConflictException>(work => work.AddAttachmentLink(link with { MessageId = MessageId.New() }), MessagingErrorCodes.AlreadyExists);
    }

    /// <summary>Attachments and their download links read back whole; link hashes and attachment ids are unique.</summary>
    [StoreFact]
    public async Task Attachments_and_links_read_back_and_are_unique()
    {
        var attachment = new Attachment
        {
            Id = AttachmentId.New(), OrganisationId = Org, WorkspaceId = Ws, FileName = "results.pdf", ContentType = "application/pdf",
            Length = 123_456, Sha256 = new string('a', 64), UploadedBy = Alice, CreatedAt = T0,
        };
        var fromPatient = attachment with { Id = AttachmentId.New(), UploadedBy = null, UploadedByPatient = Jane };
        var link = new AttachmentLink
        {
            TokenHash = new string('b', 64), AttachmentId = attachment.Id, MessageId = MessageId.New(), OrganisationId = Org, IssuedAt = T0, ExpiresAt = T0 + Duration.FromDays(7),
        };
        await WriteAsync(work =>
        {
            work.AddAttachment(attachment);
            work.AddAttachment(fromPatient);
            work.AddAttachmentLink(link);
        });

        Assert.Equal(attachment, await Store.GetAttachmentAsync(attachment.Id));
        Assert.Equal(fromPatient, await Store.GetAttachmentAsync(fromPatient.Id));
        Assert.Equal(link, await Store.FindAttachmentLinkAsync(link.TokenHash));
        Assert.Null(await Store.FindAttachmentLinkAsync(new string('c', 64)));
        Assert.Null(await Store.GetAttachmentAsync(AttachmentId.New()));
        await CommitFailsAsync<MessagingConflictException>(work => work.AddAttachmentLink(link with { AttachmentId = fromPatient.Id }), MessagingErrorCodes.AlreadyExists);
        await CommitFailsAsync<MessagingConflictException>(work => work.AddAttachment(attachment), MessagingErrorCodes.AlreadyExists);
    }

    private static Notification Notification(StaffId recipient, Instant at) => new()
    {
        Id = NotificationId.New(),
        OrganisationId = Org,
        WorkspaceId = Ws,
        Recipient = recipient,
        Kind = NotificationKind.PatientReplied,
        ConversationId = ConversationId.New(),
        MessageId = MessageId.New(),
        CreatedAt = at,
    };

    private async Task<List<NotificationId>> PageThroughAsync(bool unreadOnly, int pageSize)
    {
        var ids = new List<NotificationId>();
        NotificationCursor? after = null;
        while (true)
        {
            var page = await Store.ListNotificationsAsync(Ws, Bob, unreadOnly, after, pageSize);
            ids.AddRange(page.Select(n => n.Id));
            if (page.Count < pageSize)
            {
                return ids;
            }

            after = new NotificationCursor(page[^1].CreatedAt, page[^1].Id);
        }
    }
}
