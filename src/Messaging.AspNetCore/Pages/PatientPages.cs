using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Messaging.AspNetCore;

/// <summary>Sends patient pages with the headers patient content needs, whatever renderer writes the body.</summary>
internal static class PatientPages
{
    /// <summary>The longest reply the core accepts (PatientReplyService.MaxReplyLength), for the form's maxlength.</summary>
    internal const int MaxReplyLength = 2000;

    /// <summary>The built-in stylesheet, relative to the mapped prefix; pages sit one segment below it.</summary>
    internal const string StylesheetPath = "assets/patient.css";

    private static readonly Lazy<(byte[] Content, string ETag)> Stylesheet = new(() =>
    {
        using var stream = typeof(PatientPages).Assembly.GetManifestResourceStream("Messaging.AspNetCore.patient.css")
            ?? throw new InvalidOperationException("The built-in stylesheet is missing from the assembly.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        return (bytes, "\"" + Convert.ToHexString(SHA256.HashData(bytes), 0, 8) + "\"");
    });

    /// <summary>Sets the status and headers, then lets the registered renderer write the page.</summary>
    public static Task SendAsync(HttpContext context, PatientPage page)
    {
        var response = context.Response;
        response.StatusCode = page.StatusCode;
        NoStore(response);
        var headers = response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.XFrameOptions] = "DENY";
        headers["Referrer-Policy"] = "no-referrer"; // the link's secret token must not leak to other sites
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy(context);
        return context.RequestServices.GetRequiredService<IPatientPageRenderer>().RenderAsync(context, page);
    }

    /// <summary>Patient content must never be kept by a browser or a proxy.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers[HeaderNames.CacheControl] = "no-store, max-age=0";
        response.Headers[HeaderNames.Pragma] = "no-cache";
    }

    /// <summary>Serves the built-in stylesheet (not patient content: cacheable, validated by ETag).</summary>
    public static Task StylesheetAsync(HttpContext context)
    {
        var (content, etag) = Stylesheet.Value;
        var response = context.Response;
        response.Headers[HeaderNames.ETag] = etag;
        response.Headers[HeaderNames.CacheControl] = "public, max-age=3600";
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = "text/css; charset=utf-8";
        response.ContentLength = content.Length;
        return response.Body.WriteAsync(content, context.RequestAborted).AsTask();
    }

    /// <summary>Nothing but this origin's styles and forms, plus the host's stylesheet origin if it set one elsewhere.</summary>
    private static string ContentSecurityPolicy(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<MessagingWebOptions>>().Value;
        var styles = options.StylesheetUrl is { IsAbsoluteUri: true } url ? "'self' " + url.GetLeftPart(UriPartial.Authority) : "'self'";
        return $"default-src 'none'; style-src {styles}; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }
}
