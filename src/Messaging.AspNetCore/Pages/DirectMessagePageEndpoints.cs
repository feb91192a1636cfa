using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messaging.AspNetCore.Pages;

/// <summary>
/// The page behind a Direct Message's email link, <c>{PublicBaseUrl}d/{token}</c> (R18): the access-code form, then the
/// content and its documents; or a kind page when the message is locked, expired or unknown. Nothing is shown without
/// the code, on every visit: the content is never kept in a session or a cookie.
/// </summary>
internal static class DirectMessagePageEndpoints
{
    internal const string Route = "d/{token}";

    public static async Task GetAsync(HttpContext context, string token)
    {
        var status = await context.RequestServices.GetRequiredService<IDirectMessageService>().CheckLinkAsync(token, context.RequestAborted).ConfigureAwait(false);
        var page = status switch
        {
            DirectMessageLinkStatus.Ready => CodeForm(context),
            DirectMessageLinkStatus.Locked => Locked,
            DirectMessageLinkStatus.Expired => Expired,
            _ => NotFound,
        };
        await PatientPages.SendAsync(context, page).ConfigureAwait(false);
    }

    public static async Task PostAsync(HttpContext context, string token)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DirectMessagePageEndpoints).FullName!);

        // What can be checked before the body is read is: a dead, locked or expired link gets its page unread (and a
        // locked message's audit trail is not lengthened by every post to it).
        var status = await services.GetRequiredService<IDirectMessageService>().CheckLinkAsync(token, context.RequestAborted).ConfigureAwait(false);
        if (status != DirectMessageLinkStatus.Ready)
        {
            await PatientPages.SendAsync(context, status switch
            {
                DirectMessageLinkStatus.Locked => Locked,
                DirectMessageLinkStatus.Expired => Expired,
                _ => NotFound,
            }).ConfigureAwait(false);
            return;
        }

        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false)
            : FormCollection.Empty;
        var code = form[PatientPageFields.AccessCode].ToString(); // the SDK ignores case, spaces and dashes

        if (!await services.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context).ConfigureAwait(false))
        {
            // Refused before the code is checked, so a forged post neither reveals anything nor uses up an attempt.
            Log.DirectMessageFormForgeryRefused(logger);
            await PatientPages.SendAsync(context, CodeForm(context) with
            {
                StatusCode = StatusCodes.Status400BadRequest,
                Error = "For your security, this page needed refreshing. Please enter the code again.",
            }).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            await PatientPages.SendAsync(context, CodeForm(context) with { StatusCode = StatusCodes.Status400BadRequest, Error = "Enter the code from the text message" }).ConfigureAwait(false);
            return;
        }

        DirectMessageUnlockResult result;
        try
        {
            result = await services.GetRequiredService<IDirectMessageService>().UnlockAsync(token, code, context.RequestAborted).ConfigureAwait(false);
        }
        catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.DirectMessageBusy)
        {
            // Nothing was counted: the patient just tries again.
            context.Response.Headers.RetryAfter = "5";
            await PatientPages.SendAsync(context, CodeForm(context) with
            {
                StatusCode = StatusCodes.Status503ServiceUnavailable,
                Error = "We are very busy right now. Please wait a few seconds and enter the code again.",
            }).ConfigureAwait(false);
            return;
        }

        var page = result.Status switch
        {
            DirectMessageUnlockStatus.Unlocked => new PatientPage { Kind = PatientPageKind.DirectMessageContent, StatusCode = StatusCodes.Status200OK, DirectMessage = result.Content },
            DirectMessageUnlockStatus.WrongCode => CodeForm(context) with
            {
                StatusCode = StatusCodes.Status400BadRequest,
                AttemptsLeft = result.AttemptsLeft,
                Error = result.AttemptsLeft == 1
                    ? "The code is not right. You have 1 attempt left before this message is locked."
                    : $"The code is not right. You have {result.AttemptsLeft} attempts left.",
            },
            DirectMessageUnlockStatus.Locked => Locked,
            DirectMessageUnlockStatus.Expired => Expired,
            _ => NotFound,
        };
        await PatientPages.SendAsync(context, page).ConfigureAwait(false);
    }

    private static PatientPage CodeForm(HttpContext context) => new()
    {
        Kind = PatientPageKind.DirectMessageCode,
        StatusCode = StatusCodes.Status200OK,
        FormAction = (context.Request.PathBase + context.Request.Path).ToUriComponent(),
        Antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context),
        ErrorField = PatientPageFields.AccessCode,
    };

    private static readonly PatientPage Locked = new() { Kind = PatientPageKind.DirectMessageLocked, StatusCode = StatusCodes.Status403Forbidden };
    private static readonly PatientPage Expired = new() { Kind = PatientPageKind.DirectMessageExpired, StatusCode = StatusCodes.Status410Gone };
    private static readonly PatientPage NotFound = new() { Kind = PatientPageKind.LinkNotFound, StatusCode = StatusCodes.Status404NotFound };
}
