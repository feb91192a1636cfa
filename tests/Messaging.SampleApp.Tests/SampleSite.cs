using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Messaging.Testing.Peers;

namespace Messaging.SampleApp.Tests;

/// <summary>
/// The sample app, in-process on a real Kestrel socket on 127.0.0.1 (a free port, so its links point at itself), and
/// Debian's Chromium driven by Playwright when <c>MESSAGING_CHROMIUM</c> names it. Shared by the browser tests.
/// </summary>
public sealed class SampleSite : IAsyncLifetime
{
    private readonly Factory _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public SampleSite()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _factory = new Factory(BaseUrl);
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    public string BaseUrl { get; }

    public IServiceProvider Services => _factory.Services;

    public Task InitializeAsync()
    {
        _factory.StartServer();
        return Task.CompletedTask;
    }

    /// <summary>Debian's Chromium (MESSAGING_CHROMIUM), launched headless on first use; only gated tests ask for it.</summary>
    private async Task<IBrowser> BrowserAsync()
    {
        if (_browser is null)
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Peers.Get("MESSAGING_CHROMIUM"),
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
        }

        return _browser;
    }

    /// <summary>A fresh browser context (its own cookies), the size of a phone.</summary>
    public async Task<IBrowserContext> NewPhoneAsync() => await (await BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = BaseUrl,
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        Locale = "en-GB",
    });

    /// <summary>A fresh desktop browser context for the staff side.</summary>
    public async Task<IBrowserContext> NewDesktopAsync() => await (await BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = BaseUrl,
        ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        Locale = "en-GB",
    });

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _factory.DatabasePath, _factory.DatabasePath + "-wal", _factory.DatabasePath + "-shm" })
        {
            File.Delete(file);
        }

        if (Directory.Exists(_factory.DatabasePath + ".attachments"))
        {
            Directory.Delete(_factory.DatabasePath + ".attachments", recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Factory(string baseUrl) : WebApplicationFactory<Program>
    {
        /// <summary>Each site starts from an empty SQLite database (and attachment folder) of its own.</summary>
        public string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), $"messaging-sample-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("urls", baseUrl);
            builder.UseSetting("Messaging:PublicBaseUrl", baseUrl + "/m/");
            builder.UseSetting("Messaging:DirectMessages:Pepper", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            builder.UseSetting("Messaging:LinkKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            builder.UseSetting("ConnectionStrings:Messaging", $"Data Source={DatabasePath}");
            builder.UseSetting("Messaging:AttachmentsPath", DatabasePath + ".attachments");
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        }
    }
}

/// <summary>Where screenshots go: artifacts/screenshots under the repository (copied to docs/ when they change).</summary>
public static class Screenshots
{
    public static string PathFor(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Messaging.sln")))
        {
            directory = directory.Parent;
        }

        var root = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(root);
        return Path.Combine(root, name);
    }
}
