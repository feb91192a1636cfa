using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messaging.AspNetCore.Pages;

/// <summary>
/// The page behind a reply link, <c>{PublicBaseUrl}r/{token}</c> (R12): the staff message and a one-time reply form,
/// or a kind page for each state the link can be in.
/// </summary>
internal static class ReplyPageEndpoints
{
    internal const string ReplyField = "reply";

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
        var text = context.Request.HasFormContentType
            ? NormaliseNewLines((await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false))[ReplyField].ToString())
            : string.Empty;

        if (!await services.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context).ConfigureAwait(false))
        {
            // A forged or stale form (e.g. the page was open for hours): record nothing, and offer the form again with
            // a fresh token and the patient's words kept, so one more press sends it.
            Log.ReplyFormForgeryRefused(logger);
            await ShowAgainAsync(context, token, text, "For your security, this page needed refreshing. Please check your reply and press Send reply again.").ConfigureAwait(false);
            return;
        }

        PatientReplyResult result;
        try
        {
            result = await replies.ReplyAsync(token, text, context.RequestAborted).ConfigureAwait(false);
        }
        catch (MessagingValidationException e) when (e.ErrorCode is MessagingErrorCodes.Required or MessagingErrorCodes.TooLong)
        {
            var message = e.ErrorCode == MessagingErrorCodes.Required
                ? "Enter your reply"
                : $"Your reply must be {PatientPages.MaxReplyLength} characters or fewer. It is {text.Length} characters.";
            await ShowAgainAsync(context, token, text, message).ConfigureAwait(false);
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

    /// <summary>The form again with an error, if the link still allows a reply; otherwise the page for its state.</summary>
    private static async Task ShowAgainAsync(HttpContext context, string token, string text, string error)
    {
        var view = await context.RequestServices.GetRequiredService<IPatientReplyService>().OpenAsync(token, context.RequestAborted).ConfigureAwait(false);
        var page = view.Status == ReplyLinkStatus.Valid
            ? Form(context, view) with { StatusCode = StatusCodes.Status400BadRequest, ReplyText = text, Error = error }
            : StatePage(view.Status);
        await PatientPages.SendAsync(context, page).ConfigureAwait(false);
    }

    private static PatientPage Form(HttpContext context, ReplyLinkView view) => new()
    {
        Kind = PatientPageKind.ReplyForm,
        StatusCode = StatusCodes.Status200OK,
        FormAction = (context.Request.PathBase + context.Request.Path).ToUriComponent(),
        Antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context),
        StaffMessage = view.StaffMessage,
        SenderName = view.SenderName,
    };

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
