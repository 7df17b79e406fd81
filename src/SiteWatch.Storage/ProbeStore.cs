using System.Globalization;
using Dapper;
using SiteWatch.Core.Model;

namespace SiteWatch.Storage;

/// <summary>Availability probes of websites.</summary>
public sealed class ProbeStore(Database database)
{
    public async Task AddAsync(Probe probe, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO probes (target_id, at, ok, status_code, elapsed_ms, error) VALUES (@TargetId, @At, @Ok, @StatusCode, @ElapsedMs, @Error)",
            new { probe.TargetId, At = Utc(probe.At), Ok = probe.Ok ? 1 : 0, probe.StatusCode, probe.ElapsedMs, probe.Error }, cancellationToken: ct));
    }

    /// <summary>The probes of a target in [from, to), with the last few failures as evidence.</summary>
    public async Task<Availability> WindowAsync(string targetId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var range = new { targetId, from = Utc(from), to = Utc(to) };
        var (probes, failures) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT COUNT(*), COALESCE(SUM(1 - ok), 0) FROM probes WHERE target_id = @targetId AND at >= @from AND at < @to", range, cancellationToken: ct));
        var recent = await connection.QueryAsync<(string, string, long?, long, string?)>(new CommandDefinition("""
            SELECT target_id, at, status_code, elapsed_ms, error FROM probes
            WHERE target_id = @targetId AND at >= @from AND at < @to AND ok = 0 ORDER BY at DESC LIMIT 5
            """, range, cancellationToken: ct));
        return new Availability(from, to, (int)probes, (int)failures, recent.Select(r => new Probe(r.Item1,
            DateTimeOffset.Parse(r.Item2, CultureInfo.InvariantCulture), false, (int?)r.Item3, r.Item4, r.Item5)).ToList());
    }

    // UTC with a fixed format, so that text order is time order.
    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
