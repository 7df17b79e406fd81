using SiteWatch.Core.Model;

namespace SiteWatch.Scheduling.Service;

/// <summary>The <c>Service</c> section: where <c>serve</c> listens and the schedules it starts with.</summary>
public sealed class ServiceOptions
{
    public const string Section = "Service";

    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// Where Hangfire keeps its job queue: <c>memory</c> (the default, one machine) or <c>postgresql</c> (the database of
    /// <c>ConnectionStrings:Hangfire</c>, schema <c>hangfire</c>). Only the queue moves: rounds, targets, findings,
    /// schedules and probes stay in SiteWatch's SQLite database either way.
    /// </summary>
    public string JobStorage { get; set; } = "memory";

    /// <summary>Inspection jobs run at once (Hangfire workers).</summary>
    public int Workers { get; set; } = 4;

    /// <summary>The probes' cron if none is configured: every 6 minutes.</summary>
    public const string DefaultProbeCron = "0 0/6 * * * ?";

    /// <summary>
    /// The cron the <c>availability-probes</c> schedule is seeded with on first start (later edits live in the database, made
    /// on /schedules). Empty seeds it disabled: no probes until it is enabled there.
    /// </summary>
    public string ProbeCron { get; set; } = DefaultProbeCron;

    /// <summary>Probe fires per cycle: each fire probes ⌈websites / ProbeSlots⌉ websites, so each website once every ProbeSlots fires (12 × 6 minutes = every 72 minutes, 20 a day).</summary>
    public int ProbeSlots { get; set; } = 12;

    /// <summary>Schedules written into the database on first start (later edits live in the database, made on /schedules).</summary>
    public List<ScheduleSetting> Schedules { get; set; } = [];

    public sealed class ScheduleSetting
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Job { get; set; } = "website-round";
        public string Cron { get; set; } = "";
        public string TimeZone { get; set; } = "Asia/Shanghai";
        public double SampleFraction { get; set; } = 0.3;
        public bool Enabled { get; set; } = true;
    }
}
