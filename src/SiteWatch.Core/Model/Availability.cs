namespace SiteWatch.Core.Model;

/// <summary>One availability probe of a website's home page.</summary>
public sealed record Probe(string TargetId, DateTimeOffset At, bool Ok, int? StatusCode, long ElapsedMs, string? Error);

/// <summary>A website's probe history over a window (7 days before as-of): what site-unreachable judges.</summary>
public sealed record Availability(DateTimeOffset From, DateTimeOffset To, int Probes, int Failures, IReadOnlyList<Probe> RecentFailures)
{
    /// <summary>Share of failed probes, 0 when there were none.</summary>
    public double FailureRate => Probes == 0 ? 0 : (double)Failures / Probes;

    /// <summary>Probes per day over the window.</summary>
    public double ProbesPerDay => Probes / Math.Max(1e-9, (To - From).TotalDays);
}
