using System.Net.Http.Headers;
using Messaging;
using Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A dispatcher process: the outbox runs in the background with real time and a short lease until the process is
// killed. Where to work comes from the environment, so no password appears on a command line:
//   MESSAGING_CHAOS_DB        the PostgreSQL connection string of the test's database (already migrated)
//   MESSAGING_CHAOS_RECORDER  the recording provider's base URL on 127.0.0.1
var database = Environment.GetEnvironmentVariable("MESSAGING_CHAOS_DB") ?? throw new InvalidOperationException("MESSAGING_CHAOS_DB is not set.");
var recorder = new Uri(Environment.GetEnvironmentVariable("MESSAGING_CHAOS_RECORDER") ?? throw new InvalidOperationException("MESSAGING_CHAOS_RECORDER is not set."));

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services.AddSingleton(new HttpClient { BaseAddress = recorder });
builder.Services.AddSingleton<ISmsProvider, RecorderSmsProvider>();
builder.Services.AddPatientMessaging(o =>
{
    o.PublicBaseUrl = new Uri("https://chaos.example/m/");
    o.LinkKey = "bGluay1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXMhIQ==";
})
    .AddEntityFrameworkStore(db => db.UseNpgsql(database));
builder.Services.Configure<OutboxOptions>(o =>
{
    o.Lease = TimeSpan.FromSeconds(6);
    o.ProviderCallTimeout = TimeSpan.FromSeconds(3);
    o.PollInterval = TimeSpan.FromMilliseconds(100);
    o.BaseRetryDelay = TimeSpan.FromMilliseconds(200);
    o.MaxRetryDelay = TimeSpan.FromSeconds(2);
    o.MaxAttempts = 20;
});

using var host = builder.Build();
await host.StartAsync();
await Console.Out.WriteLineAsync("ready");
await host.WaitForShutdownAsync();

/// <summary>An SMS provider that POSTs each message's idempotency key to the recorder and takes a 200 as acceptance.</summary>
internal sealed class RecorderSmsProvider(HttpClient http) : ISmsProvider
{
    public string Name => "chaos-recorder";

    public async Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(request.IdempotencyKey);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await http.PostAsync(new Uri("sms", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? ProviderSendResult.Accepted(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))
            : ProviderSendResult.Transient(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), "The recorder refused the message.");
    }
}
