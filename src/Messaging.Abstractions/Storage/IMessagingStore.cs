namespace Messaging.Storage;

/// <summary>
/// The storage the SDK runs on. Implement it to keep the SDK's data in your own database; run the conformance kit
/// in <c>Messaging.Testing</c> against your implementation to prove it keeps every contract.
/// </summary>
/// <remarks>
/// <para>Reads are exposed through the reader interfaces it inherits. Every write goes through a
/// <see cref="IMessagingUnitOfWork"/>: the SDK stages all the writes of one operation and commits them together,
/// so an operation either happens whole or not at all (R21).</para>
/// <para>Implementations are thread-safe and may be registered as singletons.</para>
/// </remarks>
public interface IMessagingStore : IWorkspaceReader, IPatientReader, IConversationReader, IMessageReader, IReplyTokenReader, ICreditReader, IOutboxStore, IAuditReader,
    INotificationReader, IAttachmentReader, ITemplateReader, IDirectMessageReader, IInternalMessageReader
{
    /// <summary>Begins a unit of work. Nothing is written until <see cref="IMessagingUnitOfWork.CommitAsync"/>.</summary>
    ValueTask<IMessagingUnitOfWork> BeginAsync(CancellationToken cancellationToken = default);
}
