namespace SiteWatch.TestKit;

/// <summary>
/// A clock that stands still until told otherwise, so that "now" in a test is a fixed instant. Every timer created on
/// it (Task.Delay(…, clock), CancelAfter through it) fires at once and moves the clock forward by its due time: code
/// that waits runs without waiting, and the clock and <see cref="Waits"/> show how long it would have waited.
/// </summary>
/// <remarks>Meant for code that waits one thing at a time; concurrent waits each advance the clock by their own due time.</remarks>
public sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<TimeSpan> waits = [];
    private DateTimeOffset now = start;

    /// <summary>Every due time a timer was created with, in order.</summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (gate)
            {
                return [.. waits];
            }
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now.ToUniversalTime();
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return new Inert();
        }

        lock (gate)
        {
            waits.Add(dueTime);
            now += dueTime;
        }

        // Fired on the pool, not inside CreateTimer: the caller has not stored the timer yet.
        var timer = new Inert();
        ThreadPool.QueueUserWorkItem(_ =>
        {
            if (!timer.Disposed)
            {
                callback(state);
            }
        });
        return timer;
    }

    private sealed class Inert : ITimer
    {
        public bool Disposed { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => !Disposed;

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
