using Quartz;
using SiteWatch.Core.Model;

namespace SiteWatch.Scheduling.Service;

/// <summary>
/// Whether a schedule missed a fire while the service was down: its next fire after the last one (or after it was
/// created) is already past. Such a schedule fires once at start, however many fires it missed.
/// </summary>
public static class MissedFires
{
    public static bool IsDue(Schedule schedule, DateTimeOffset now)
    {
        var cron = Parse(schedule);
        var since = schedule.LastFiredAt ?? schedule.CreatedAt;
        return schedule.Enabled && cron.GetNextValidTimeAfter(since) is { } next && next <= now;
    }

    /// <summary>The Quartz cron of a schedule in its time zone; throws FormatException with the schedule named when invalid.</summary>
    public static CronExpression Parse(Schedule schedule)
    {
        if (!CronExpression.TryParse(schedule.Cron, out var cron))
        {
            throw new FormatException($"schedule {schedule.Id}: '{schedule.Cron}' is not a Quartz cron expression (seconds minutes hours day month weekday)");
        }

        return cron.WithTimeZone(TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone));
    }
}
