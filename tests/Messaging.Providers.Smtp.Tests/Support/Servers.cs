using System.Net;
using System.Net.Sockets;

namespace Messaging.Providers.Smtp.Tests.Support;

/// <summary>Network endpoints that misbehave on purpose: nothing listening, or a listener that never speaks.</summary>
internal static class Servers
{
    /// <summary>A loopback port nobody listens on (a relay that is down): it was free a moment ago and is closed again.</summary>
    public static int PortNobodyListensOn()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Accepts TCP connections and never sends a byte: a relay that hangs before its greeting.</summary>
internal sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _accepted = [];
    private readonly CancellationTokenSource _stop = new();

    public SilentServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(client);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted)
        {
            foreach (var c in _accepted)
            {
                c.Dispose();
            }
        }

        _stop.Dispose();
    }
}
