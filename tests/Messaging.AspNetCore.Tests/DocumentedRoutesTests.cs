using System.Text.RegularExpressions;
using Messaging.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.AspNetCore.Tests;

/// <summary>
/// Every path under the SDK's mount point that the docs name (README.md files, XML doc comments in src) is a route
/// <c>MapPatientMessaging("/m")</c> maps, so a host that copies a URL from the docs receives what it expects.
/// </summary>
public sealed partial class DocumentedRoutesTests
{
    // "/m/…" in a URL or path, "{prefix}/…" and "{PublicBaseUrl}…" as the endpoint docs write them. The path stops at
    // a query string, quote, back-tick, space, bracket or markup.
    [GeneratedRegex(@"(?:/m(?=/)|\{prefix\}(?=/)|\{PublicBaseUrl\}(?=[A-Za-z]))(?<path>/?[A-Za-z0-9_.\-{}/]*)")]
    private static partial Regex DocumentedPath();

    [Fact]
    public async Task Every_documented_path_under_the_mount_point_is_a_mapped_route()
    {
        // Every provider package whose docs name routes is registered, as a host using it would (never called here), and
        // the named registrations the docs use as examples of an organisation's own (R26).
        await using var world = await WebWorld.StartAsync(b => b.Services.AddPatientMessaging()
            .AddNhsNotify(o =>
            {
                o.BaseUrl = new Uri("http://127.0.0.1:9/");
                o.ApiKey = "documented-routes-key";
                o.ApplicationId = "documented-routes-app";
            })
            .AddNhsNotify("northshire-notify", o =>
            {
                o.BaseUrl = new Uri("http://127.0.0.1:9/");
                o.ApiKey = "documented-routes-key-2";
                o.ApplicationId = "documented-routes-app-2";
            })
            .AddTwilioSms("northshire-twilio", o =>
            {
                o.AccountSid = "AC0123456789abcdef0123456789abcdee";
                o.AuthToken = "documented-routes-token";
                o.From = "+447700900124";
                o.BaseUrl = new Uri("http://127.0.0.1:9/");
            }));
        var routes = ((IEndpointRouteBuilder)world.App).DataSources
            .SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern)
            .Where(p => p.RawText?.StartsWith("/m/", StringComparison.Ordinal) == true)
            .ToList();
        routes.Should().NotBeEmpty();

        var documented = DocumentedPaths().ToList();
        documented.Select(d => d.Path).Should().Contain(["/m/r/{token}", "/m/sms/{provider}/status", "/m/sms/twilio/status", "/m/sms/twilio/inbound/{organisationId}", "/m/twilio/status", "/m/twilio/inbound/{organisationId}",
            "/m/sms/northshire-twilio/status", "/m/sms/northshire-twilio/inbound/{organisationId}", "/m/sms/northshire-notify/status"],
            "the scan must find the paths the endpoint docs name, or it checks nothing");

        // "{provider}" in the docs stands for a registered provider's name; the test host registers Twilio and NHS Notify.
        var providers = world.Services.GetServices<IProviderWebhookHandler>().Select(h => h.Name).ToList();
        providers.Should().NotBeEmpty();
        var unmapped = documented
            .Where(d => !providers.Any(p => routes.Any(r => Matches(r.PathSegments.Select(s => s.IsSimple && s.Parts[0] is RoutePatternLiteralPart literal ? literal.Content : null).ToList(), d.Path.Replace("{provider}", p, StringComparison.Ordinal)))))
            .Select(d => $"{d.Where}: {d.Path}")
            .ToList();
        unmapped.Should().BeEmpty(
            "every documented path must be one of the mapped routes ({0})",
            string.Join(", ", routes.Select(r => r.RawText).Distinct()));
    }

    /// <summary>Route segments (<see langword="null"/> for a parameter) against a documented path.</summary>
    private static bool Matches(List<string?> route, string documented)
    {
        var segments = documented.Trim('/').Split('/');
        if (segments.Length != route.Count)
        {
            return false;
        }

        for (var i = 0; i < segments.Length; i++)
        {
            var isPlaceholder = segments[i].StartsWith('{') && segments[i].EndsWith('}');
            if (route[i] is { } literal)
            {
                if (isPlaceholder || !string.Equals(literal, segments[i], StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            // A parameter segment matches a placeholder or a concrete value (e.g. an organisation id in an example URL).
        }

        return true;
    }

    private static IEnumerable<(string Where, string Path)> DocumentedPaths()
    {
        var root = RepositoryRoot();
        var readmes = Directory.EnumerateFiles(root, "README.md", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(root, f))
            .Select(f => (File: f, Lines: File.ReadLines(f).Select((text, i) => (text, i))));
        var docComments = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(root, f))
            .Select(f => (File: f, Lines: File.ReadLines(f).Select((text, i) => (text, i)).Where(l => l.text.TrimStart().StartsWith("///", StringComparison.Ordinal))));

        foreach (var (file, lines) in readmes.Concat(docComments))
        {
            foreach (var (text, index) in lines)
            {
                foreach (Match match in DocumentedPath().Matches(text))
                {
                    var rest = match.Groups["path"].Value.TrimEnd('.', '/');
                    if (rest.Length == 0)
                    {
                        continue; // the mount point itself, e.g. PublicBaseUrl https://…/m/
                    }

                    yield return ($"{Path.GetRelativePath(root, file)}:{index + 1}", "/m/" + rest.TrimStart('/'));
                }
            }
        }
    }

    private static bool IsBuildOutput(string root, string file)
        => Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj" or ".git" or "node_modules");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Messaging.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Messaging.sln above {AppContext.BaseDirectory}.");
    }
}
