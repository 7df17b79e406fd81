namespace SiteWatch.Core.Model;

/// <summary>What a schedule starts when it fires.</summary>
public enum ScheduleJob
{
    /// <summary>A sampled inspection round of websites.</summary>
    WebsiteRound,

    /// <summary>A sampled inspection round of new-media accounts.</summary>
    AccountRound,

    /// <summary>A re-check of every target with open corrections (整改复查), daily by default.</summary>
    Recheck,

    /// <summary>
    /// Availability probes (可用性监测): each fire probes the share of the websites whose last probe is oldest, so that
    /// every website is probed once per <c>Service:ProbeSlots</c> fires whatever the cron.
    /// </summary>
    Probes,
}

/// <summary>
/// A schedule of the service (a quarterly round, …): a Quartz cron expression in a time zone. Kept in SiteWatch's own
/// table so that it survives restarts and a fire missed while the service was down can be computed at start.
/// </summary>
public sealed record Schedule
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required ScheduleJob Job { get; init; }

    /// <summary>Quartz cron: seconds minutes hours day-of-month month day-of-week [year].</summary>
    public required string Cron { get; init; }

    /// <summary>IANA time zone the cron is read in.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>Fraction of each region's targets a round draws (at least this; 0.3 by the national rule).</summary>
    public double SampleFraction { get; init; } = 0.3;

    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastFiredAt { get; init; }
}

public static class ScheduleJobs
{
    /// <summary>Whether the job draws a sampled round (its sample fraction matters, at least 0.3 by the national rule).</summary>
    public static bool IsRound(this ScheduleJob job) => job is ScheduleJob.WebsiteRound or ScheduleJob.AccountRound;

    /// <summary>The national rule: a round draws at least 30% of each region's targets.</summary>
    public const double MinimumRoundFraction = 0.3;
}
