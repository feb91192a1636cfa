using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.AspNetCore.Pages;

/// <summary>
/// The page behind a reply link, <c>{PublicBaseUrl}r/{token}</c> (R12): the staff message and a one-time reply form
/// (with an optional file, R11), or a kind page for each state the link can be in.
/// </summary>
internal static class ReplyPageEndpoints
{
    public static async Task GetAsync(HttpContext context, string token)
    {
        var replies = context.RequestServices.GetRequiredService<IPatientReplyService>();
        var view = await replies.OpenAsync(token, context.RequestAborted).ConfigureAwait(false);
        await PatientPages.SendAsync(context, view.Status == ReplyLinkStatus.Valid ? Form(context, view) : StatePage(view.Status)).ConfigureAwait(false);
    }

    public static async Task PostAsync(HttpContext context, string token)
    {
        var services = context.RequestServices;
        var replies = services.GetRequiredService<IPatientReplyService>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReplyPageEndpoints).FullName!);

        // A spent, superseded, expired or unknown link gets its page before the body (possibly a file) is read.
        var link = await replies.OpenAsync(token, context.RequestAborted).ConfigureAwait(false);
        if (link.Status != ReplyLinkStatus.Valid)
        {
            await PatientPages.SendAsync(context, StatePage(link.Status)).ConfigureAwait(false);
            return;
        }

        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false)
            : FormCollection.Empty;
        var text = NormaliseNewLines(form[PatientPageFields.Reply].ToString());

        if (!await services.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context).ConfigureAwait(false))
        {
            // A forged or stale form (e.g. the page was open for hours): record nothing, and offer the form again with
            // a fresh token and the patient's words kept, so one more press sends it.
            Log.ReplyFormForgeryRefused(logger);
            await ShowAgainAsync(context, token, text, "For your security, this page needed refreshing. Please check your reply and press Send reply again.", null).ConfigureAwait(false);
            return;
        }

        var file = services.GetRequiredService<IOptions<MessagingWebOptions>>().Value.AllowPatientAttachments
            ? form.Files.GetFile(PatientPageFields.Attachment) is { Length: > 0 } upload ? upload : null
            : null;
        PatientReplyResult result;
        try
        {
            if (file is null)
            {
                result = await replies.ReplyAsync(token, text, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                var content = file.OpenReadStream();
                await using var _ = content.ConfigureAwait(false);
                result = await replies.ReplyAsync(token, text, new AttachmentUpload(file.FileName, file.ContentType, content), context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (MessagingValidationException e) when (ErrorText(e, text) is { } problem)
        {
            await ShowAgainAsync(context, token, text, problem.Message, problem.Field).ConfigureAwait(false);
            return;
        }

        if (result.Accepted)
        {
            Log.PatientReplyRecorded(logger, result.ReplyId!.Value);
            await PatientPages.SendAsync(context, new PatientPage { Kind = PatientPageKind.ReplySent, StatusCode = StatusCodes.Status200OK }).ConfigureAwait(false);
            return;
        }

        await PatientPages.SendAsync(context, StatePage(result.Status)).ConfigureAwait(false);
    }

    /// <summary>What to tell the patient about a refused reply, and which field it concerns.</summary>
    private static (string Message, string Field)? ErrorText(MessagingValidationException e, string text) => e.ErrorCode switch
    {
        MessagingErrorCodes.Required => ("Enter your reply", PatientPageFields.Reply),
        MessagingErrorCodes.TooLong => ($"Your reply must be {PatientPages.MaxReplyLength} characters or fewer. It is {text.Length} characters.", PatientPageFields.Reply),
        MessagingErrorCodes.AttachmentTooLarge => ("The file is too large. Choose a smaller file, or send your reply without it.", PatientPageFields.Attachment),
        MessagingErrorCodes.AttachmentTypeRefused => ("This type of file cannot be sent. Choose a photo or a PDF document.", PatientPageFields.Attachment),
        _ => null,
    };

    /// <summary>The form again with an error, if the link still allows a reply; otherwise the page for its state.</summary>
    private static async Task ShowAgainAsync(HttpContext context, string token, string text, string error, string? field)
    {
        var view = await context.RequestServices.GetRequiredService<IPatientReplyService>().OpenAsync(token, context.RequestAborted).ConfigureAwait(false);
        var page = view.Status == ReplyLinkStatus.Valid
            ? Form(context, view) with { StatusCode = StatusCodes.Status400BadRequest, ReplyText = text, Error = error, ErrorField = field }
            : StatePage(view.Status);
        await PatientPages.SendAsync(context, page).ConfigureAwait(false);
    }

    private static PatientPage Form(HttpContext context, ReplyLinkView view)
    {
        var services = context.RequestServices;
        var attachments = services.GetRequiredService<IOptions<AttachmentOptions>>().Value;
        return new()
        {
            Kind = PatientPageKind.ReplyForm,
            StatusCode = StatusCodes.Status200OK,
            FormAction = (context.Request.PathBase + context.Request.Path).ToUriComponent(),
            Antiforgery = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context),
            StaffMessage = view.StaffMessage,
            SenderName = view.SenderName,
            AllowAttachment = services.GetRequiredService<IOptions<MessagingWebOptions>>().Value.AllowPatientAttachments,
            AcceptedFileTypes = [.. attachments.AllowedContentTypes],
            MaxFileBytes = attachments.MaxBytes,
        };
    }

    internal static PatientPage StatePage(ReplyLinkStatus status) => status switch
    {
        ReplyLinkStatus.AlreadyUsed => new() { Kind = PatientPageKind.ReplyAlreadyUsed, StatusCode = StatusCodes.Status410Gone },
        ReplyLinkStatus.Superseded => new() { Kind = PatientPageKind.ReplySuperseded, StatusCode = StatusCodes.Status410Gone },
        ReplyLinkStatus.Expired => new() { Kind = PatientPageKind.ReplyExpired, StatusCode = StatusCodes.Status410Gone },
        _ => new() { Kind = PatientPageKind.LinkNotFound, StatusCode = StatusCodes.Status404NotFound },
    };

    /// <summary>Browsers send a textarea's line breaks as CRLF but count them as one character against maxlength.</summary>
    private static string NormaliseNewLines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
}
