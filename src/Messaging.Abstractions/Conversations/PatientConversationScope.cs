namespace Messaging;

/// <summary>Which of a patient's conversations to list (R5).</summary>
public enum PatientConversationScope
{
    /// <summary>"My conversations": those the actor started or sent in.</summary>
    Mine = 0,

    /// <summary>"All conversations": every conversation of the workspace with the patient. Shared-inbox workspaces only.</summary>
    All = 1,
}
