using Dapper;
using SiteWatch.Core.Model;

namespace SiteWatch.Storage;

/// <summary>Reads findings for the CLI, reports and UI. Writing happens with the target's completion (RoundStore).</summary>
public sealed class FindingStore(Database database)
{
    public async Task<IReadOnlyList<RoundFinding>> ForRoundAsync(string roundId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>("""
            SELECT f.id, f.round_id, f.target_id, COALESCE(t.kind, r.kind) AS kind, f.check_code, f.severity, f.url, f.subject,
                   f.detail, f.occurrences, f.observed_at, f.evidence
            FROM findings f
            JOIN rounds r ON r.id = f.round_id
            LEFT JOIN targets t ON t.id = f.target_id
            WHERE f.round_id = @roundId
            ORDER BY f.target_id, f.check_code, f.subject
            """,
            new { roundId });
        return rows.Select(r => new RoundFinding(r.round_id, r.target_id, TargetKinds.FromCode(r.kind), r.ToFinding()) { Id = r.id }).ToList();
    }

    private sealed class Row : FindingColumns
    {
        public long id { get; set; }
        public string round_id { get; set; } = "";
        public string target_id { get; set; } = "";
        public string kind { get; set; } = "";
    }
}

/// <summary>The columns of a <c>findings</c> row that make a <see cref="Finding"/>, for every query that reads findings.</summary>
internal abstract class FindingColumns
{
    public string check_code { get; set; } = "";
    public string severity { get; set; } = "";
    public string url { get; set; } = "";
    public string subject { get; set; } = "";
    public string detail { get; set; } = "";
    public long occurrences { get; set; }
    public string observed_at { get; set; } = "";
    public string? evidence { get; set; }

    public Finding ToFinding() => new()
    {
        Check = check_code,
        Severity = Severities.Parse(severity),
        Url = url,
        Subject = subject,
        Detail = detail,
        Occurrences = (int)occurrences,
        ObservedAt = DateTimeOffset.Parse(observed_at, System.Globalization.CultureInfo.InvariantCulture),
        Evidence = evidence,
    };
}
