namespace Messaging.Storage;

/// <summary>Reads of the audit trail (R19).</summary>
public interface IAuditReader
{
    /// <summary>Events matching the query, oldest first.</summary>
    ValueTask<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
