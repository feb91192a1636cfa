using System.Net;
using System.Net.Sockets;

namespace Messaging.Providers.Smtp.Tests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of a real server that a test can cut and restore: <see cref="Cut"/> drops every
/// open connection and refuses new ones, as a server that went away does; <see cref="Restore"/> listens again on the
/// same port. Used where the real server is shared by other tests and must not be stopped.
/// </summary>
internal sealed class TcpCut : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private readonly object _gate = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _accepting;

    public TcpCut(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(Dns.GetHostAddresses(targetHost).First(a => a.AddressFamily == AddressFamily.InterNetwork), targetPort);
        Port = Listen(0);
    }

    /// <summary>The port to connect to instead of the server's.</summary>
    public int Port { get; }

    /// <summary>Connections accepted since the start (a reconnecting client makes more).</summary>
    public int Accepted { get; private set; }

    public void Cut()
    {
        _accepting?.Cancel();
        _listener?.Stop();
        _listener = null;
        lock (_gate)
        {
            foreach (var client in _open)
            {
                try
                {
                    client.Client?.LingerState = new LingerOption(true, 0); // RST, as a vanished server
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore() => Listen(Port);

    private int Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _accepting = new CancellationTokenSource();
        _ = AcceptAsync(listener, _accepting.Token);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(_target, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            lock (_gate)
            {
                Accepted++;
                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
