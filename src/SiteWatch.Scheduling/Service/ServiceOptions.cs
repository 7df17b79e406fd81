using SiteWatch.Core.Model;

namespace SiteWatch.Scheduling.Service;

/// <summary>The <c>Service</c> section: where <c>serve</c> listens and the schedules it starts with.</summary>
public sealed class ServiceOptions
{
    public const string Section = "Service";

    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Inspection jobs run at once (Hangfire workers).</summary>
    public int Workers { get; set; } = 4;

    /// <summary>Schedules written into the database on first start (later edits live in the database).</summary>
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
