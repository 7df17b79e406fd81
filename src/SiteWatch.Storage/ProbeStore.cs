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

    /// <summary>
    /// Every website of the registry with the time of its last probe (null when never probed). One query: for each
    /// website the newest entry of the probes_by_target_time index (target_id, at), a seek rather than a scan of the history.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset?>> LastProbedAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string, string?)>(new CommandDefinition("""
            SELECT t.id, (SELECT MAX(p.at) FROM probes p WHERE p.target_id = t.id) FROM targets t WHERE t.kind = 'website'
            """, cancellationToken: ct));
        return rows.ToDictionary(r => r.Item1, r => r.Item2 is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(r.Item2, CultureInfo.InvariantCulture),
            StringComparer.Ordinal);
    }

    // UTC with a fixed format, so that text order is time order.
    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
