using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Messaging.AspNetCore.Pages;

/// <summary>
/// An attachment's download link, <c>{PublicBaseUrl}a/{token}</c> (R11): the file itself while the link works, a kind
/// page otherwise. The file is always sent as a download, never shown inline, so no uploaded content runs on this origin.
/// </summary>
internal static class DownloadEndpoints
{
    internal const string Route = "a/{token}";

    public static async Task GetAsync(HttpContext context, string token)
    {
        var attachments = context.RequestServices.GetRequiredService<IAttachmentService>();
        var download = await attachments.OpenLinkAsync(token, context.RequestAborted).ConfigureAwait(false);
        await using var _ = download.ConfigureAwait(false);
        switch (download)
        {
            case { Status: AttachmentLinkStatus.Valid, Attachment: { } attachment, Content: { } content }:
                var response = context.Response;
                PatientPages.NoStore(response);
                response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
                response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; sandbox";
                response.Headers["Referrer-Policy"] = "no-referrer";
                response.Headers["X-Robots-Tag"] = "noindex, nofollow";
                var disposition = new ContentDispositionHeaderValue("attachment");
                disposition.SetHttpFileName(attachment.FileName);
                response.Headers[HeaderNames.ContentDisposition] = disposition.ToString();
                response.ContentType = attachment.ContentType;
                response.ContentLength = attachment.Length;
                await content.CopyToAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
                break;
            case { Status: AttachmentLinkStatus.Expired }:
                await PatientPages.SendAsync(context, new PatientPage { Kind = PatientPageKind.DownloadExpired, StatusCode = StatusCodes.Status410Gone }).ConfigureAwait(false);
                break;
            default:
                await PatientPages.SendAsync(context, new PatientPage { Kind = PatientPageKind.LinkNotFound, StatusCode = StatusCodes.Status404NotFound }).ConfigureAwait(false);
                break;
        }
    }
}
