using System.Collections.Concurrent;
using SiteWatch.Core.Rules;

namespace SiteWatch.Crawling.Accounts;

/// <summary>
/// Politeness per platform: requests to one platform (all its accounts, every reader, the whole process) are spaced
/// at least 60 s / <see cref="PlatformRules.RequestsPerMinute"/> apart, so no minute ever holds more than that many.
/// </summary>
/// <remarks>
/// Spacing rather than a bucket that allows bursts: platforms (m.weibo.cn in particular) throttle on short bursts as
/// well as on the minute's total, and a round reads hundreds of accounts, so the steady rate is what matters. Each
/// caller reserves the next free slot under a lock and then waits for it on <see cref="TimeProvider"/> (a fake clock
/// makes tests instant). A caller cancelled while waiting leaves its slot unused. RequestsPerMinute of 0 or less
/// means no limit. This is on top of <see cref="Http.HostLimiter"/> (requests in flight per host).
/// </remarks>
public sealed class PlatformLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Schedule> platforms = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Waits for the platform's next slot; returns how long it waited.</summary>
    public async Task<TimeSpan> AcquireAsync(PlatformRules platform, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ct.ThrowIfCancellationRequested();
        if (platform.RequestsPerMinute <= 0)
        {
            return TimeSpan.Zero;
        }

        var spacing = TimeSpan.FromMinutes(1) / platform.RequestsPerMinute;
        var schedule = platforms.GetOrAdd(platform.Key, _ => new Schedule());
        var now = time.GetUtcNow();
        DateTimeOffset slot;
        lock (schedule)
        {
            slot = schedule.Next > now ? schedule.Next : now;
            schedule.Next = slot + spacing;
        }

        var wait = slot - now;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, ct);
        }

        return wait;
    }

    private sealed class Schedule
    {
        public DateTimeOffset Next { get; set; } = DateTimeOffset.MinValue;
    }
}
