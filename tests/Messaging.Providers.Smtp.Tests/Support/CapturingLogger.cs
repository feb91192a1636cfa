using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Messaging.Providers.Smtp.Tests.Support;

/// <summary>Keeps every formatted log line (and its exception text), so tests can prove what is never logged.</summary>
internal sealed class CapturingLogger : ILogger<SmtpEmailProvider>
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Id, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, EventId Id, string Text)> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => _lines.Enqueue((logLevel, eventId, formatter(state, exception) + (exception is null ? string.Empty : " | " + exception)));
}
