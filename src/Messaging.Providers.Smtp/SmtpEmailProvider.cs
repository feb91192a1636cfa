using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using NodaTime;

namespace Messaging.Providers.Smtp;

/// <summary>
/// <see cref="IEmailProvider"/> over MailKit: hands each email to the configured SMTP relay through a small pool of
/// open, authenticated connections.
/// </summary>
/// <remarks>
/// <para>Thread-safe: concurrent sends use different pooled connections (at most
/// <see cref="SmtpEmailOptions.MaxConnections"/>); beyond that they wait for one, within
/// <see cref="SmtpEmailOptions.Timeout"/>.</para>
/// <para>A connection that sat idle is checked with <c>NOOP</c> (see <see cref="SmtpEmailOptions.IdleCheckAfter"/>);
/// if a reused connection still turns out to be broken when the message goes out, the send is tried once more on a
/// new connection. In the rare case where the relay took the message but the connection broke before it said so, the
/// relay receives it twice with the same Message-ID, which is what the outbox's own retry would also do.</para>
/// </remarks>
internal sealed class SmtpEmailProvider : IEmailProvider, IAsyncDisposable, IDisposable
{
    /// <summary>How long closing the pool waits for each relay to acknowledge QUIT.</summary>
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(2);

    private readonly SmtpEmailOptions _options;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly Func<ISmtpClient> _clientFactory;
    private readonly SmtpConnectionPool _pool;
    private readonly MailboxAddress _from;
    private readonly MailboxAddress _returnPath;
    private readonly string _senderDomain;
    private readonly string _host;
    private readonly SecureSocketOptions _socketOptions;
    private readonly string _name = ProviderName;
    private int _disposed;

    public SmtpEmailProvider(IOptions<SmtpEmailOptions> options, IClock clock, ILogger<SmtpEmailProvider>? logger = null)
        : this(options, clock, logger, () => new DsnSmtpClient(options.Value))
    {
    }

    /// <summary>A named registration's provider (R26): its own relay, credentials and sender, recorded on its messages as <paramref name="name"/>.</summary>
    internal SmtpEmailProvider(string name, SmtpEmailOptions options, IClock clock, ILogger<SmtpEmailProvider>? logger)
        : this(Options.Create(options), clock, logger, () => new DsnSmtpClient(options))
    {
        _name = name;
    }

    /// <summary>For tests: <paramref name="clientFactory"/> makes the (unconnected) MailKit clients.</summary>
    internal SmtpEmailProvider(IOptions<SmtpEmailOptions> options, IClock clock, ILogger? logger, Func<ISmtpClient> clientFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(clientFactory);
        _options = options.Value;
        var validation = new SmtpEmailOptionsValidator().Validate(Options.DefaultName, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SmtpEmailOptions), validation.Failures);
        }

        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
        _clientFactory = clientFactory;
        _pool = new SmtpConnectionPool(_options.MaxConnections);
        _host = _options.Host!.Trim();
        var fromAddress = EmailAddress.Parse(_options.FromAddress).Value;
        _from = new MailboxAddress(_options.FromName, fromAddress);
        _returnPath = _options.ReturnPath is { } returnPath ? MailboxAddress.Parse(EmailAddress.Parse(returnPath).Value) : _from;
        _senderDomain = SmtpMessages.SenderDomain(fromAddress);
        _socketOptions = _options.TlsMode switch
        {
            SmtpTlsMode.None => SecureSocketOptions.None,
            SmtpTlsMode.ImplicitTls => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };

        if (_options.AllowInvalidCertificates && _options.ServerCertificateValidationCallback is null && _options.TlsMode != SmtpTlsMode.None)
        {
            Log.InvalidCertificatesAllowed(_logger, _host);
        }
    }

    /// <inheritdoc />
    public string Name => _name;

    /// <summary>
    /// The default registration's name, recorded on each message it sends and on each delivery report applied to one; a
    /// named registration records its own name.
    /// </summary>
    internal const string ProviderName = "smtp";

    /// <summary>The Message-ID (with angle brackets) a send with this idempotency key carries.</summary>
    internal string MessageIdFor(string idempotencyKey) => $"<{SmtpMessages.MessageIdFor(idempotencyKey, _senderDomain)}>";

    /// <inheritdoc />
    /// <remarks>
    /// Accepted results carry the message's <c>Message-ID</c> header value, angle brackets included, e.g.
    /// <c>&lt;k3q…@nhs.net&gt;</c>. Failures carry the SMTP reply code (e.g. <c>550</c>, <c>451</c>) as the error code, or
    /// one of <c>timeout</c>, <c>connection</c>, <c>protocol</c>, <c>tls</c>, <c>starttls_unavailable</c>, <c>unsupported</c>, <c>auth</c> when
    /// the relay gave none.
    /// </remarks>
    /// <exception cref="ArgumentException">The request has no idempotency key, or no subject or text body.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public async Task<ProviderSendResult> SendAsync(EmailSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Subject, nameof(request));
        ArgumentNullException.ThrowIfNull(request.TextBody, nameof(request));
        _ = request.To.Value; // throws InvalidOperationException for a default(EmailAddress): a programming error
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();

        var messageId = SmtpMessages.MessageIdFor(request.IdempotencyKey, _senderDomain);
        using var message = SmtpMessages.Build(request, _from, messageId, _clock.GetCurrentInstant());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);

        Lease lease;
        try
        {
            lease = new Lease(await _pool.RentAsync(timeout.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Every connection stayed busy for the whole Timeout: the relay is slow or MaxConnections too small.
            var busy = ProviderSendResult.Transient(
                SmtpFailures.Timeout, "No SMTP connection became free within the configured Timeout; consider raising MaxConnections.");
            Log.SendFailed(_logger, messageId, busy.Failure, busy.ErrorCode, busy.ErrorDescription);
            return busy;
        }

        ProviderSendResult result;
        try
        {
            result = await SendOverPoolAsync(message, lease, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up: the session is mid-command, so it cannot carry another message.
            await CloseQuietlyAsync(lease.Take()?.Client, quit: false).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is OperationCanceledException || SmtpFailures.IsMapped(e))
        {
            // Our own Timeout fired (MailKit may surface it as a cancellation or as an I/O error), or the relay or the
            // network failed. Keep the connection only when the relay merely refused this message.
            var timedOut = timeout.IsCancellationRequested;
            result = SmtpFailures.Map(timedOut ? new TimeoutException() : e);
            if (!timedOut && SmtpFailures.ConnectionSurvives(e) && lease.Connection is { Client.IsConnected: true } survivor)
            {
                survivor.Suspect = true;
            }
            else
            {
                await CloseQuietlyAsync(lease.Take()?.Client, quit: false).ConfigureAwait(false);
            }
        }
        catch
        {
            await CloseQuietlyAsync(lease.Take()?.Client, quit: false).ConfigureAwait(false);
            throw;
        }
        finally
        {
            var connection = lease.Take();
            if (!_pool.Return(connection))
            {
                await CloseQuietlyAsync(connection?.Client, quit: true).ConfigureAwait(false);
            }
        }

        if (result.Succeeded)
        {
            Log.Accepted(_logger, messageId);
        }
        else
        {
            Log.SendFailed(_logger, messageId, result.Failure, result.ErrorCode, result.ErrorDescription);
        }

        return result;
    }

    /// <summary>
    /// Sends over the leased connection (or a new one), replacing a reused connection once if it turns out to be stale.
    /// <paramref name="lease"/> always holds the connection in use, so the caller can keep or close it whatever happens.
    /// </summary>
    private async Task<ProviderSendResult> SendOverPoolAsync(MimeMessage message, Lease lease, CancellationToken cancellationToken)
    {
        var mayRetry = true;
        while (true)
        {
            var reused = lease.Connection is not null;
            if (lease.Connection is { } pooled && !await IsUsableAsync(pooled, cancellationToken).ConfigureAwait(false))
            {
                await CloseQuietlyAsync(lease.Take()?.Client, quit: false).ConfigureAwait(false);
                reused = false;
            }

            var connection = lease.Connection ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // The envelope sender is the return path (where delivery reports go); the recipients are the message's.
                var reply = await connection.Client.SendAsync(message, _returnPath, message.To.Mailboxes, cancellationToken).ConfigureAwait(false);
                connection.LastUsed = _clock.GetCurrentInstant();
                connection.Suspect = false;
                return ProviderSendResult.Accepted($"<{message.MessageId}>") with { RawStatus = SmtpFailures.Describe(reply) };
            }
            catch (Exception e) when (reused && mayRetry && !cancellationToken.IsCancellationRequested && SmtpFailures.IsBrokenConnection(e))
            {
                // The pooled session died while idle (the relay restarted or timed us out): once more on a new one.
                Log.StaleConnectionReplaced(_logger, e.GetType().Name);
                await CloseQuietlyAsync(lease.Take()?.Client, quit: false).ConfigureAwait(false);
                mayRetry = false;
            }
        }
    }

    /// <summary>Whether a pooled connection can carry the next message, checking with NOOP when it sat idle or was refused last time.</summary>
    private async Task<bool> IsUsableAsync(SmtpConnection connection, CancellationToken cancellationToken)
    {
        if (!connection.Client.IsConnected)
        {
            Log.StaleConnectionReplaced(_logger, "closed");
            return false;
        }

        var idle = _clock.GetCurrentInstant() - connection.LastUsed;
        if (!connection.Suspect && idle < Duration.FromTimeSpan(_options.IdleCheckAfter))
        {
            return true;
        }

        try
        {
            await connection.Client.NoOpAsync(cancellationToken).ConfigureAwait(false);
            connection.LastUsed = _clock.GetCurrentInstant();
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && SmtpFailures.IsMapped(e))
        {
            Log.StaleConnectionReplaced(_logger, "NOOP failed: " + e.GetType().Name);
            return false;
        }
    }

    /// <summary>Connects, upgrades to TLS as configured, and authenticates when credentials are set.</summary>
    private async Task<SmtpConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var client = _clientFactory();
        try
        {
            client.Timeout = (int)_options.Timeout.TotalMilliseconds;
            if (!string.IsNullOrWhiteSpace(_options.LocalDomain))
            {
                client.LocalDomain = _options.LocalDomain;
            }

            client.ServerCertificateValidationCallback = _options.ServerCertificateValidationCallback
                ?? (_options.AllowInvalidCertificates ? static (_, _, _, _) => true : null);

            await client.ConnectAsync(_host, _options.EffectivePort, _socketOptions, cancellationToken).ConfigureAwait(false);
            var authenticate = !string.IsNullOrEmpty(_options.UserName);
            if (authenticate)
            {
                if (!client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
                {
                    throw new AuthenticationException(
                        "The SMTP relay does not offer AUTH on this connection; check Host, Port and TlsMode, or remove UserName and Password.");
                }

                await client.AuthenticateAsync(_options.UserName!, _options.Password!, cancellationToken).ConfigureAwait(false);
            }

            Log.Connected(_logger, _host, _options.EffectivePort, _options.TlsMode, authenticate);
            if (_options.RequestDeliveryReports && !client.Capabilities.HasFlag(SmtpCapabilities.Dsn))
            {
                Log.DsnUnsupported(_logger, _host);
            }

            return new SmtpConnection(client, _clock.GetCurrentInstant());
        }
        catch
        {
            await CloseQuietlyAsync(client, quit: false).ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask CloseQuietlyAsync(ISmtpClient? client, bool quit)
    {
        if (client is null)
        {
            return;
        }

        try
        {
            if (quit && client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(QuitTimeout);
                await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException || SmtpFailures.IsMapped(e))
        {
            Log.CloseFailed(_logger, e);
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Says QUIT on every idle connection and closes it. Sends in flight finish and then close theirs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var connection in _pool.Close())
        {
            await CloseQuietlyAsync(connection?.Client, quit: true).ConfigureAwait(false);
        }
    }

    /// <summary>Closes every idle connection without QUIT (use <see cref="DisposeAsync"/> to close politely).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var connection in _pool.Close())
        {
            connection.Client.Dispose();
        }
    }

    /// <summary>The connection one send is using; whoever closes it takes it out, so it is closed or returned exactly once.</summary>
    private sealed class Lease(SmtpConnection? connection)
    {
        public SmtpConnection? Connection { get; set; } = connection;

        public SmtpConnection? Take()
        {
            var c = Connection;
            Connection = null;
            return c;
        }
    }
}
