using System.Globalization;
using Dapper;
using SiteWatch.Core.Model;

namespace SiteWatch.Storage;

/// <summary>The service's schedules.</summary>
public sealed class ScheduleStore(Database database)
{
    public async Task<IReadOnlyList<Schedule>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT id, name, job, cron, time_zone, sample_fraction, enabled, created_at, last_fired_at FROM schedules ORDER BY id",
            cancellationToken: ct));
        return rows.Select(r => r.ToSchedule()).ToList();
    }

    public async Task<Schedule?> GetAsync(string id, CancellationToken ct) => (await ListAsync(ct)).FirstOrDefault(s => s.Id == id);

    /// <summary>Adds or replaces a schedule; its last fire time is kept when it exists already.</summary>
    public async Task SaveAsync(Schedule schedule, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO schedules (id, name, job, cron, time_zone, sample_fraction, enabled, created_at, last_fired_at)
            VALUES (@Id, @Name, @Job, @Cron, @TimeZone, @SampleFraction, @Enabled, @CreatedAt, @LastFiredAt)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, job = excluded.job, cron = excluded.cron,
                time_zone = excluded.time_zone, sample_fraction = excluded.sample_fraction, enabled = excluded.enabled
            """, new
        {
            schedule.Id, schedule.Name, Job = JobCode(schedule.Job), schedule.Cron, schedule.TimeZone, schedule.SampleFraction,
            Enabled = schedule.Enabled ? 1 : 0, CreatedAt = schedule.CreatedAt.ToString("o"), LastFiredAt = schedule.LastFiredAt?.ToString("o"),
        }, cancellationToken: ct));
    }

    public async Task MarkFiredAsync(string id, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE schedules SET last_fired_at = @at WHERE id = @id", new { id, at = at.ToString("o") }, cancellationToken: ct));
    }

    public static string JobCode(ScheduleJob job) => job switch
    {
        ScheduleJob.AccountRound => "account-round",
        ScheduleJob.Recheck => "recheck",
        ScheduleJob.Probes => "probes",
        _ => "website-round",
    };

    public static ScheduleJob ParseJob(string code) => code switch
    {
        "account-round" => ScheduleJob.AccountRound,
        "website-round" => ScheduleJob.WebsiteRound,
        "recheck" => ScheduleJob.Recheck,
        "probes" => ScheduleJob.Probes,
        _ => throw new InvalidOperationException($"schedule job '{code}' must be website-round, account-round, recheck or probes"),
    };

    private sealed class Row
    {
        public string id { get; set; } = "";
        public string name { get; set; } = "";
        public string job { get; set; } = "";
        public string cron { get; set; } = "";
        public string time_zone { get; set; } = "";
        public double sample_fraction { get; set; }
        public long enabled { get; set; }
        public string created_at { get; set; } = "";
        public string? last_fired_at { get; set; }

        public Schedule ToSchedule() => new()
        {
            Id = id, Name = name, Job = ParseJob(job), Cron = cron, TimeZone = time_zone, SampleFraction = sample_fraction,
            Enabled = enabled != 0, CreatedAt = DateTimeOffset.Parse(created_at, CultureInfo.InvariantCulture),
            LastFiredAt = last_fired_at is null ? null : DateTimeOffset.Parse(last_fired_at, CultureInfo.InvariantCulture),
        };
    }
}
