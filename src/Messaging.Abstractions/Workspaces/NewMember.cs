namespace Messaging;

/// <summary>A staff member to add to a workspace (R3): by staff id and email.</summary>
/// <param name="StaffId">The host's id of the staff member.</param>
/// <param name="Email">Their work email, for content-free notifications.</param>
/// <param name="DisplayName">Their name as colleagues see it.</param>
/// <param name="Role">Member or admin.</param>
public sealed record NewMember(StaffId StaffId, string Email, string DisplayName, WorkspaceRole Role = WorkspaceRole.Member)
{
    /// <summary>The email is masked, as <see cref="WorkspaceMember"/> masks it: personal data does not belong in logs.</summary>
    public override string ToString() => $"NewMember {{ StaffId = {StaffId}, Email = ***@***, DisplayName = {DisplayName}, Role = {Role} }}";
}
