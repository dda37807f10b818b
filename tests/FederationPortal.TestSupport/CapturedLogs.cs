using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FederationPortal.TestSupport;

/// <summary>Every log line the portal wrote during a test, for assertions (e.g. that no secret was logged) and for diagnosis.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    /// <summary>The lowest level kept (Information unless a test wants every level, e.g. the secret scan).</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines, this);

    public void Dispose()
    {
    }

    public override string ToString() => string.Join(Environment.NewLine, lines);

    private sealed class Logger(string category, ConcurrentQueue<string> lines, CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.MinimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? string.Empty : Environment.NewLine + exception)}");
            }
        }
    }
}
