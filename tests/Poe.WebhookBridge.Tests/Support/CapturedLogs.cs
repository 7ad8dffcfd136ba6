using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Poe.WebhookBridge.Tests.Support;

/// <summary>A logger provider that keeps every formatted log line, to check what a bridge logged (and what it did not).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new CapturedLog(DateTimeOffset.UtcNow, category, logLevel, formatter(state, exception), exception));
    }
}

public sealed record CapturedLog(DateTimeOffset At, string Category, LogLevel Level, string Message, Exception? Exception);
