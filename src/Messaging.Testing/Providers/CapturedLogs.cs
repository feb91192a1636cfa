using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Messaging.Testing.Providers;

/// <summary>
/// The logger provider the kit hands to a harness: keeps every line at every level (the rendered message, each
/// structured value, scopes and the exception's full text), so a test can search it for patient data and credentials.
/// </summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"scope {category} {state} {Values(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue($"{logLevel} {category} [{eventId.Id}] {formatter(state, exception)} {Values(state)} {exception}");

        private static string Values<TState>(TState state)
            => state is IEnumerable<KeyValuePair<string, object?>> pairs ? "{" + string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) + "}" : string.Empty;
    }
}
