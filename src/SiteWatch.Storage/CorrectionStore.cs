using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using SiteWatch.Core.Model;

namespace SiteWatch.Storage;

/// <summary>What a re-check concluded about one open correction.</summary>
public enum RecheckVerdict
{
    /// <summary>The re-check found the same (check, subject) again.</summary>
    StillThere,

    /// <summary>The re-check read the place where it was found and did not find it.</summary>
    Gone,

    /// <summary>The re-check could not read the place where it was found: nothing is concluded.</summary>
    Undecided,
}

/// <summary>Why a claim was refused, as one line for the CLI and the web page.</summary>
public sealed class CorrectionException(string message) : Exception(message);

/// <summary>
/// The correction loop's cases and their history. Cases are opened with their round's findings
/// (<see cref="RoundStore.CompleteTargetAsync"/>); this store moves them along.
/// </summary>
public sealed class CorrectionStore(Database database, TimeProvider time)
{
    public const string SystemActor = "sitewatch";

    private const string Select = """
        SELECT c.finding_id, c.round_id, c.target_id, c.state, c.due, c.updated_at, c.checked_at, c.last_check, c.closed_at,
               f.check_code, f.severity, f.url, f.subject, f.detail, f.occurrences, f.observed_at, f.evidence
        FROM corrections c JOIN findings f ON f.id = c.finding_id
        """;

    private const string OpenStates = "('found', 'notified', 'claimed', 'reopened')";

    public async Task<Correction?> GetAsync(long findingId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Select + " WHERE c.finding_id = @findingId", new { findingId }, cancellationToken: ct));
        return row?.ToCorrection();
    }

    /// <summary>Every case, newest round first; <paramref name="openOnly"/> leaves out verified and superseded ones.</summary>
    public async Task<IReadOnlyList<Correction>> ListAsync(bool openOnly, CancellationToken ct, string? targetId = null)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            Select + $"""
             WHERE (@targetId IS NULL OR c.target_id = @targetId) {(openOnly ? $"AND c.state IN {OpenStates}" : "")}
             ORDER BY c.target_id, f.round_id DESC, f.severity DESC, f.check_code, f.subject
            """,
            new { targetId }, cancellationToken: ct));
        return rows.Select(r => r.ToCorrection()).ToList();
    }

    /// <summary>The cases of the findings of <paramref name="roundIds"/> (every state), by round, target, check and subject.</summary>
    public async Task<IReadOnlyList<Correction>> ForRoundsAsync(IReadOnlyCollection<string> roundIds, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            Select + " WHERE c.round_id IN @roundIds ORDER BY c.round_id, c.target_id, f.check_code, f.subject",
            new { roundIds = roundIds.ToArray() }, cancellationToken: ct));
        return rows.Select(r => r.ToCorrection()).ToList();
    }

    /// <summary>The targets that have at least one open case (what the daily re-check visits).</summary>
    public async Task<IReadOnlyList<string>> TargetsWithOpenAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT DISTINCT target_id FROM corrections WHERE state IN {OpenStates} ORDER BY target_id", cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<CorrectionEvent>> HistoryAsync(long findingId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT finding_id, state, at, actor, comment, detail, evidence FROM correction_events WHERE finding_id = @findingId ORDER BY id",
            new { findingId }, cancellationToken: ct));
        return rows.Select(e => new CorrectionEvent(e.finding_id, CorrectionStates.Parse(e.state), Parse(e.at)!.Value, e.actor, e.comment, e.detail, e.evidence)).ToList();
    }

    /// <summary>
    /// A correction notice was issued for a target's findings of a round: found cases become notified with the deadline
    /// (issuing the notice again changes nothing). With <paramref name="how"/> (e.g. "mailed to …") every open case
    /// records that step even when notified before. Returns how many cases the notice covers.
    /// </summary>
    public async Task<int> NotifyAsync(string roundId, string targetId, DateOnly due, string actor, string? how, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = Now();
        var keys = new { roundId, targetId, due = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), now, actor, how };
        var open = (await connection.QueryAsync<(long Id, string State)>(
            $"SELECT finding_id, state FROM corrections WHERE round_id = @roundId AND target_id = @targetId AND state IN {OpenStates}", keys, tx)).ToList();
        foreach (var (id, state) in open)
        {
            if (state == "found")
            {
                await connection.ExecuteAsync(
                    "UPDATE corrections SET state = 'notified', due = @due, updated_at = @now WHERE finding_id = @id",
                    new { id, keys.due, now }, tx);
                await AddEventAsync(connection, tx, id, CorrectionState.Notified, actor, how ?? $"整改期限 deadline {keys.due}", null, null);
            }
            else
            {
                await connection.ExecuteAsync("UPDATE corrections SET due = COALESCE(due, @due) WHERE finding_id = @id", new { id, keys.due }, tx);
                if (how is not null)
                {
                    await AddEventAsync(connection, tx, id, CorrectionState.Notified, actor, how, null, null);
                }
            }
        }

        await tx.CommitAsync(ct);
        return open.Count;
    }

    /// <summary>The webmaster says the finding is fixed. Refused (one line) for an unknown, closed or already claimed case.</summary>
    public async Task<Correction> ClaimAsync(long findingId, string actor, string comment, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw new CorrectionException("say what was fixed (a comment is required)");
        }

        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var state = await connection.QuerySingleOrDefaultAsync<string>("SELECT state FROM corrections WHERE finding_id = @findingId", new { findingId }, tx)
            ?? throw new CorrectionException($"finding {findingId} is not in the correction loop (unknown number, or a notice-level finding)");
        var current = CorrectionStates.Parse(state);
        if (!current.IsOpen())
        {
            throw new CorrectionException($"finding {findingId} is closed ({current.DisplayName()}); nothing to fix");
        }

        if (current == CorrectionState.Claimed)
        {
            throw new CorrectionException($"finding {findingId} is already marked fixed and waits for its re-check");
        }

        await connection.ExecuteAsync("UPDATE corrections SET state = 'claimed', updated_at = @now WHERE finding_id = @findingId", new { findingId, now = Now() }, tx);
        await AddEventAsync(connection, tx, findingId, CorrectionState.Claimed, actor, comment.Trim(), null, null);
        await tx.CommitAsync(ct);
        return (await GetAsync(findingId, ct))!;
    }

    /// <summary>
    /// Records a re-check's conclusion: gone → verified (closed); still there → reopened with the fresh finding when the
    /// webmaster had claimed it fixed (otherwise it simply stays open); undecided → only noted. Returns the new state.
    /// </summary>
    /// <param name="lookedAt">When the re-check began looking. A claim made after that is not reopened by it: the site may
    /// have been fixed after the page was read; the claim's own re-check decides.</param>
    public async Task<CorrectionState> RecordRecheckAsync(long findingId, RecheckVerdict verdict, Finding? fresh, string note, CancellationToken ct,
        DateTimeOffset? lookedAt = null)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = Now();
        var row = await connection.QuerySingleAsync<(string State, string UpdatedAt)>(
            "SELECT state, updated_at FROM corrections WHERE finding_id = @findingId", new { findingId }, tx);
        var current = CorrectionStates.Parse(row.State);
        var claimedSince = current == CorrectionState.Claimed && lookedAt is { } looked && Parse(row.UpdatedAt) > looked;
        var next = current;
        if (current.IsOpen())
        {
            next = verdict switch
            {
                RecheckVerdict.Gone => CorrectionState.Verified,
                RecheckVerdict.StillThere when current == CorrectionState.Claimed && !claimedSince => CorrectionState.Reopened,
                _ => current,
            };
        }

        if (claimedSince && verdict == RecheckVerdict.StillThere)
        {
            note = "复查早于整改声明，待下一次复查 the re-check read the site before the fix was claimed; the claim's own re-check decides";
        }

        await connection.ExecuteAsync("""
            UPDATE corrections SET state = @state, checked_at = @now, last_check = @note,
                updated_at = CASE WHEN state = @state THEN updated_at ELSE @now END,
                closed_at = CASE WHEN @state = 'verified' THEN @now ELSE closed_at END
            WHERE finding_id = @findingId
            """, new { findingId, state = next.ToCode(), now, note }, tx);
        if (next != current)
        {
            await AddEventAsync(connection, tx, findingId, next, SystemActor, null, next == CorrectionState.Reopened ? fresh?.Detail ?? note : note,
                next == CorrectionState.Reopened ? fresh?.Evidence : null);
        }

        await tx.CommitAsync(ct);
        return next;
    }

    /// <summary>Opens the cases of a target's freshly stored findings and supersedes its open cases of earlier rounds (inside the caller's transaction).</summary>
    internal static async Task OpenCasesAsync(SqliteConnection connection, System.Data.IDbTransaction tx, string roundId, string targetId, string now)
    {
        var keys = new { roundId, targetId, now };
        await connection.ExecuteAsync("""
            INSERT INTO corrections (finding_id, round_id, target_id, state, updated_at)
            SELECT id, round_id, target_id, 'found', @now FROM findings
            WHERE round_id = @roundId AND target_id = @targetId AND severity IN ('veto', 'deduct')
            """, keys, tx);
        await connection.ExecuteAsync("""
            INSERT INTO correction_events (finding_id, state, at, actor)
            SELECT finding_id, 'found', @now, 'sitewatch' FROM corrections WHERE round_id = @roundId AND target_id = @targetId
            """, keys, tx);
        var superseded = (await connection.QueryAsync<long>($"""
            SELECT c.finding_id FROM corrections c
            JOIN rounds earlier ON earlier.id = c.round_id
            JOIN rounds this ON this.id = @roundId
            WHERE c.target_id = @targetId AND c.round_id <> @roundId AND c.state IN {OpenStates} AND earlier.created_at < this.created_at
            """, keys, tx)).ToList();
        foreach (var id in superseded)
        {
            await connection.ExecuteAsync("UPDATE corrections SET state = 'superseded', updated_at = @now, closed_at = @now WHERE finding_id = @id", new { id, now }, tx);
            await AddEventAsync(connection, tx, id, CorrectionState.Superseded, SystemActor, null, $"轮次 {roundId} 重新检查了该对象，以其结果为准 (round {roundId} inspected the target again)", null, now);
        }
    }

    /// <summary>Removes the cases of a target's findings in a round before they are stored again (a job that runs twice).</summary>
    internal static async Task DropCasesAsync(SqliteConnection connection, System.Data.IDbTransaction tx, string roundId, string targetId)
    {
        var keys = new { roundId, targetId };
        await connection.ExecuteAsync(
            "DELETE FROM correction_events WHERE finding_id IN (SELECT id FROM findings WHERE round_id = @roundId AND target_id = @targetId)", keys, tx);
        await connection.ExecuteAsync("DELETE FROM corrections WHERE round_id = @roundId AND target_id = @targetId", keys, tx);
    }

    private string Now() => time.GetUtcNow().ToString("o", CultureInfo.InvariantCulture);

    private async Task AddEventAsync(SqliteConnection connection, System.Data.IDbTransaction tx, long findingId, CorrectionState state, string actor,
        string? comment, string? detail, string? evidence) =>
        await AddEventAsync(connection, tx, findingId, state, actor, comment, detail, evidence, Now());

    private static async Task AddEventAsync(SqliteConnection connection, System.Data.IDbTransaction tx, long findingId, CorrectionState state, string actor,
        string? comment, string? detail, string? evidence, string at) =>
        await connection.ExecuteAsync("""
            INSERT INTO correction_events (finding_id, state, at, actor, comment, detail, evidence)
            VALUES (@findingId, @state, @at, @actor, @comment, @detail, @evidence)
            """, new { findingId, state = state.ToCode(), at, actor, comment, detail, evidence }, tx);

    private static DateTimeOffset? Parse(string? value) => value is null ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    private sealed class Row : FindingColumns
    {
        public long finding_id { get; set; }
        public string round_id { get; set; } = "";
        public string target_id { get; set; } = "";
        public string state { get; set; } = "";
        public string? due { get; set; }
        public string updated_at { get; set; } = "";
        public string? checked_at { get; set; }
        public string? last_check { get; set; }
        public string? closed_at { get; set; }

        public Correction ToCorrection() => new(finding_id, round_id, target_id, ToFinding(), CorrectionStates.Parse(state),
            due is null ? null : DateOnly.ParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture), Parse(updated_at)!.Value, Parse(checked_at), last_check,
            Parse(closed_at));
    }

    private sealed class EventRow
    {
        public long finding_id { get; set; }
        public string state { get; set; } = "";
        public string at { get; set; } = "";
        public string actor { get; set; } = "";
        public string? comment { get; set; }
        public string? detail { get; set; }
        public string? evidence { get; set; }
    }
}
