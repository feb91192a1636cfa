using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Messaging.Storage.EfCore;

/// <summary>
/// Turns what the databases say into the SDK's typed errors. Messages carry ids and table names only, never the
/// values that clashed (they may be patient data, R22).
/// </summary>
internal static class StoreErrors
{
    private const int SqliteConstraint = 19;                 // SQLITE_CONSTRAINT
    private const int SqliteConstraintPrimaryKey = 1555;     // SQLITE_CONSTRAINT_PRIMARYKEY
    private const int SqliteConstraintUnique = 2067;         // SQLITE_CONSTRAINT_UNIQUE

    public static MessagingConflictException AlreadyExists(string what)
        => new(MessagingErrorCodes.AlreadyExists, $"{what} already exists.");

    public static MessagingConflictException Changed(string what, Guid id, long expected)
        => new(MessagingErrorCodes.ConcurrencyConflict, $"{what} '{id:N}' changed since it was read (version {expected} expected); read it again and retry.");

    public static MessagingNotFoundException ConversationNotFound(Guid id)
        => new(MessagingErrorCodes.ConversationNotFound, $"Conversation '{id:N}' was not found.");

    public static MessagingNotFoundException MessageNotFound(Guid id)
        => new(MessagingErrorCodes.MessageNotFound, $"Message '{id:N}' was not found.");

    public static MessagingNotFoundException TemplateNotFound(Guid id)
        => new(MessagingErrorCodes.TemplateNotFound, $"Template '{id:N}' was not found.");

    public static MessagingConflictException LeaseLost(Guid messageId, string owner)
        => new(MessagingErrorCodes.LeaseLost, $"The outbox entry of message '{messageId:N}' is no longer held by '{owner}'.");

    public static MessagingConflictException ReplyTokenSpent()
        => new(MessagingErrorCodes.ReplyTokenSpent, "The reply link was used or replaced meanwhile.");

    public static MessagingConflictException InsufficientCredits(string organisationId, int balance, int needed)
        => new(MessagingErrorCodes.InsufficientCredits, $"Organisation '{organisationId}' has {balance} SMS credits; this needs {needed}.");

    /// <summary>Whether the database refused a second active reply token in a conversation (the partial unique index, R29).</summary>
    public static bool IsOneActiveReplyTokenViolation(Exception exception)
    {
        var database = exception as DbException ?? (exception as DbUpdateException)?.InnerException as DbException ?? exception.InnerException as DbException;
        return database is not null && IsUniqueViolation(database, out var table) && table == "reply_tokens"
               && (database is PostgresException { ConstraintName: Model.MessagingDbContext.OneActiveReplyTokenIndex } || database.Message.Contains("conversation_id", StringComparison.Ordinal));
    }

    /// <summary>The SDK error for a database error met while committing, or <see langword="null"/> if it is not one of ours.</summary>
    public static MessagingException? Translate(Exception exception)
    {
        var database = exception as DbException ?? (exception as DbUpdateException)?.InnerException as DbException;
        if (database is null)
        {
            return null;
        }

        if (IsUniqueViolation(database, out var table))
        {
            // A second assignment with the same sequence means someone reassigned the conversation meanwhile.
            return table switch
            {
                "conversation_assignments" => new MessagingConflictException(
                    MessagingErrorCodes.ConcurrencyConflict, "The conversation was reassigned meanwhile; read it again and retry."),
                // R16: the name is taken in its set (a duplicate id is the primary key, reported as "already exists").
                "message_templates" when IsTemplateNameIndex(database) => new MessagingConflictException(
                    MessagingErrorCodes.TemplateNameTaken,
                    database.Message.Contains("owner", StringComparison.Ordinal) || database is PostgresException { ConstraintName: "ux_message_templates_personal_name" }
                        ? "You already have a personal template with this name in this workspace; choose another name."
                        : "The workspace already has a shared template with this name; choose another name."),
                "patients" when database is PostgresException { ConstraintName: "ux_patients_nhs_number" } || database.Message.Contains("nhs_number", StringComparison.Ordinal)
                    => new MessagingConflictException(MessagingErrorCodes.AlreadyExists, "Another patient of the organisation has this NHS number."),
                // R12/R29: a concurrent activation made another token of the conversation active first.
                "reply_tokens" when IsOneActiveReplyTokenViolation(database) => new MessagingConflictException(
                    MessagingErrorCodes.ConcurrencyConflict, "Another reply link of the conversation became active meanwhile; read again and retry."),
                "credit_ledger" when database is PostgresException { ConstraintName: Model.MessagingDbContext.PurchaseReferenceIndex } || database.Message.Contains("reference", StringComparison.Ordinal)
                    => new MessagingConflictException(MessagingErrorCodes.AlreadyExists, "The organisation already recorded a purchase with this reference."),
                "messages" when database is PostgresException { ConstraintName: "ux_messages_idempotency_key" } || database.Message.Contains("idempotency_key", StringComparison.Ordinal)
                    => new MessagingConflictException(MessagingErrorCodes.AlreadyExists, "A message with this idempotency key already exists."),
                _ => AlreadyExists($"A row of '{table}' with this key"),
            };
        }

        // PostgreSQL broke a lock cycle or a serialization clash: nothing was written; the caller reads again and retries.
        if (database is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure })
        {
            return new MessagingConflictException(MessagingErrorCodes.ConcurrencyConflict, "A concurrent change got in the way; read again and retry.");
        }

        return null;
    }

    private static bool IsUniqueViolation(DbException exception, out string table)
    {
        switch (exception)
        {
            case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg:
                table = pg.TableName ?? "?";
                return true;
            case SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintPrimaryKey or SqliteConstraintUnique } sqlite:
                // "UNIQUE constraint failed: patients.organisation_id, patients.nhs_number"
                var message = sqlite.Message;
                var start = message.IndexOf("failed: ", StringComparison.Ordinal);
                var dot = start < 0 ? -1 : message.IndexOf('.', start);
                table = start < 0 || dot < 0 ? "?" : message[(start + 8)..dot];
                return true;
            default:
                table = "";
                return false;
        }
    }

    private static bool IsTemplateNameIndex(DbException exception) => exception switch
    {
        PostgresException pg => pg.ConstraintName?.StartsWith("ux_message_templates_", StringComparison.Ordinal) == true,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == SqliteConstraintUnique,
        _ => false,
    };
}
