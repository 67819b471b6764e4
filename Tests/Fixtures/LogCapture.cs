using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Supervisor.Tests.Fixtures;

/// <summary>Keeps what one test host logged, so a test can wait for a message instead of sleeping.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public bool Contains(string fragment) => _messages.Any(m => m.Contains(fragment, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new CaptureLogger(this);

    public void Dispose()
    {
    }

    private sealed class CaptureLogger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var message = formatter(state, exception);
                capture._messages.Enqueue(exception is null ? message : $"{message} {exception.GetType().Name}: {exception.Message}");
            }
        }
    }
}
