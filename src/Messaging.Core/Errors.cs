namespace Messaging;

/// <summary>The SDK's errors, in one place so their codes and wording stay consistent. No patient data in messages (R22).</summary>
internal static class Errors
{
    public static MessagingAuthorizationException NotAMember(WorkspaceId workspaceId, StaffId actor)
        => new(MessagingErrorCodes.NotAMember, $"Staff member '{actor}' is not a member of workspace '{workspaceId}'.");

    public static MessagingAuthorizationException NotAnAdmin(WorkspaceId workspaceId, StaffId actor)
        => new(MessagingErrorCodes.NotAnAdmin, $"Staff member '{actor}' is not an admin of workspace '{workspaceId}'.");

    public static MessagingAuthorizationException SharedInboxRequired(WorkspaceId workspaceId, string what)
        => new(MessagingErrorCodes.SharedInboxRequired, $"Workspace '{workspaceId}' has no shared inbox, so {what} is not available: members see only their own conversations.");

    public static MessagingAuthorizationException ConversationNotVisible(ConversationId conversationId, StaffId actor)
        => new(MessagingErrorCodes.ConversationNotVisible, $"Conversation '{conversationId}' is not visible to staff member '{actor}': the workspace has no shared inbox and it is not theirs.");

    public static MessagingNotFoundException OrganisationNotFound(OrganisationId id)
        => new(MessagingErrorCodes.OrganisationNotFound, $"Organisation '{id}' was not found.");

    public static MessagingNotFoundException WorkspaceNotFound(WorkspaceId id)
        => new(MessagingErrorCodes.WorkspaceNotFound, $"Workspace '{id}' was not found.");

    public static MessagingNotFoundException TeamNotFound(WorkspaceId workspaceId, TeamId id)
        => new(MessagingErrorCodes.TeamNotFound, $"Team '{id}' was not found in workspace '{workspaceId}'.");

    public static MessagingNotFoundException MemberNotFound(WorkspaceId workspaceId, StaffId id)
        => new(MessagingErrorCodes.MemberNotFound, $"Staff member '{id}' is not a member of workspace '{workspaceId}'.");

    public static MessagingNotFoundException PatientNotFound(PatientId id)
        => new(MessagingErrorCodes.PatientNotFound, $"Patient '{id}' was not found.");

    public static MessagingNotFoundException ConversationNotFound(ConversationId id)
        => new(MessagingErrorCodes.ConversationNotFound, $"Conversation '{id}' was not found.");

    public static MessagingConflictException StaleVersion(ConversationId id, long expected, long actual)
        => new(MessagingErrorCodes.ConcurrencyConflict, $"Conversation '{id}' changed since it was read (version {expected} expected, {actual} found); read it again and retry.");

    public static MessagingNotFoundException TemplateNotFound(TemplateId id)
        => new(MessagingErrorCodes.TemplateNotFound, $"Template '{id}' was not found.");

    public static MessagingConflictException StaleTemplate(TemplateId id, long expected, long actual)
        => new(MessagingErrorCodes.ConcurrencyConflict, $"Template '{id}' changed since it was read (version {expected} expected, {actual} found); read it again and retry.");

    public static MessagingConflictException TemplateNameTaken(WorkspaceId workspaceId, bool shared)
        => new(MessagingErrorCodes.TemplateNameTaken, shared
            ? $"Workspace '{workspaceId}' already has a shared template with this name; choose another name."
            : "You already have a personal template with this name in this workspace; choose another name.");

    public static MessagingValidationException Required(string field)
        => new(MessagingErrorCodes.Required, $"The {field} is required.", field);

    public static string RequireText(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Required(field);
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"The {field} must be at most {maxLength} characters long.", field);
    }
}
