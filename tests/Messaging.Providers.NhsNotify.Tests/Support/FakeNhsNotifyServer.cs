using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Messaging.Providers.NhsNotify.Tests.Support;

/// <summary>What the fake server received: enough to check the JSON body, the headers and the path.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The JSON body, parsed.</summary>
    public System.Text.Json.Nodes.JsonNode Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!;
}

/// <summary>How the fake server answers one request.</summary>
public sealed record FakeResponse(int Status, string Body = "", string ContentType = "application/vnd.api+json")
{
    public IDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Wait this long before answering (a hang, when longer than the client's timeout).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>NHS Notify's error body, with a <c>detail</c> that may quote the refused value, as NHS Notify's can.</summary>
    public static FakeResponse NhsNotifyError(int status, string code, string detail) => new(
        status,
        $$$"""{"errors": [{"id": "rrt-1.1", "code": "{{{code}}}", "status": "{{{status}}}", "title": "Error", "detail": {{{System.Text.Json.JsonSerializer.Serialize(detail)}}}}]}""");

    /// <summary>A 201 as NHS Notify answers a created message.</summary>
    public static FakeResponse Created(string reference) => new(
        201,
        """{"data": {"type": "Message", "id": "2WL3qFTEFM0qMY8xjRbt1LIKCzM", "attributes": {"messageReference": """
        + System.Text.Json.JsonSerializer.Serialize(reference)
        + """, "messageStatus": "created", "timestamps": {"created": "2025-03-01T09:00:00.000Z"}, "routingPlan": {"id": "00000000-0000-0000-0000-000000000003", "name": "Plan", "createdDate": "2025-03-01T09:00:00.000Z"}}, "links": {"self": "https://api.service.nhs.uk/comms/v1/messages/2WL3qFTEFM0qMY8xjRbt1LIKCzM"}}}""");
}

/// <summary>
/// A real HTTP server on a free 127.0.0.1 port (HttpListener) that answers like NHS Notify's API as each test tells it,
/// and records every request. Used for what Prism cannot do: NHS Notify's error bodies, 429 with Retry-After, 5xx, hangs.
/// </summary>
public sealed class FakeNhsNotifyServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly Func<ReceivedRequest, FakeResponse> _respond;
    private readonly Task _loop;

    public FakeNhsNotifyServer(Func<ReceivedRequest, FakeResponse> respond)
    {
        _respond = respond;
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public FakeNhsNotifyServer(FakeResponse always)
        : this(_ => always)
    {
    }

    public Uri BaseUrl { get; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            var request = new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body);
            _requests.Enqueue(request);

            var response = _respond(request);
            if (response.Delay > TimeSpan.Zero)
            {
                await Task.Delay(response.Delay, _stop.Token);
            }

            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client went away (timeout) or the server is stopping.
        }
    }
}
