using Dapper;
using SiteWatch.Core.Model;

namespace SiteWatch.Storage;

/// <summary>Rounds and their per-target progress: the durable truth that makes a round resumable.</summary>
public sealed class RoundStore(Database database, TimeProvider time)
{
    /// <summary>Creates the round with its whole sample in one transaction, so a kill never leaves half a sample.</summary>
    public async Task CreateAsync(Round round, IReadOnlyList<string> targetIds, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync("""
            INSERT INTO rounds (id, kind, as_of, sample_fraction, seed, status, created_at)
            VALUES (@Id, @Kind, @AsOf, @SampleFraction, @Seed, 'running', @CreatedAt)
            """,
            new
            {
                round.Id, Kind = round.Kind.ToCode(), AsOf = round.AsOf.ToString("o"), round.SampleFraction, round.Seed,
                CreatedAt = round.CreatedAt.ToString("o"),
            },
            tx);
        await connection.ExecuteAsync(
            "INSERT INTO round_targets (round_id, target_id, status) VALUES (@RoundId, @TargetId, 'pending')",
            targetIds.Select(id => new { RoundId = round.Id, TargetId = id }),
            tx);
        await tx.CommitAsync(ct);
    }

    public async Task<Round?> GetAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<RoundRow>("SELECT * FROM rounds WHERE id = @id", new { id });
        return row?.ToRound();
    }

    /// <summary>The most recently created round.</summary>
    public async Task<Round?> LatestAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QueryFirstOrDefaultAsync<RoundRow>("SELECT * FROM rounds ORDER BY created_at DESC, rowid DESC LIMIT 1");
        return row?.ToRound();
    }

    /// <summary>The most recently created complete round of a kind: the one the overview's pass rates are of.</summary>
    public async Task<Round?> LatestCompleteAsync(TargetKind kind, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QueryFirstOrDefaultAsync<RoundRow>(new CommandDefinition(
            "SELECT * FROM rounds WHERE status = 'complete' AND kind = @kind ORDER BY created_at DESC, rowid DESC LIMIT 1",
            new { kind = kind.ToCode() }, cancellationToken: ct));
        return row?.ToRound();
    }

    public async Task<Round?> LatestRunningAsync(TargetKind kind, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QueryFirstOrDefaultAsync<RoundRow>(
            "SELECT * FROM rounds WHERE status = 'running' AND kind = @kind ORDER BY created_at DESC, rowid DESC LIMIT 1",
            new { kind = kind.ToCode() });
        return row?.ToRound();
    }

    /// <summary>
    /// The rounds whose monitoring time point (as-of) falls in calendar year <paramref name="year"/> in the round's own
    /// offset, earliest as-of first. as_of is stored as ISO 8601 ("o") in that offset, so its first four characters are the year.
    /// </summary>
    public async Task<IReadOnlyList<Round>> OfYearAsync(int year, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<RoundRow>(new CommandDefinition(
            "SELECT * FROM rounds WHERE substr(as_of, 1, 4) = @year ORDER BY created_at, rowid",
            new { year = year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: ct));
        return rows.Select(r => r.ToRound()).OrderBy(r => r.AsOf).ThenBy(r => r.CreatedAt).ToList();
    }

    public async Task<IReadOnlyList<string>> IdsStartingWithAsync(string prefix, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(
            "SELECT id FROM rounds WHERE id = @prefix OR id LIKE @like ESCAPE '\\'",
            new { prefix, like = prefix.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "-%" })).ToList();
    }

    public async Task<IReadOnlyList<RoundTarget>> TargetsAsync(string roundId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string round_id, string target_id, string status, long pages, string? error)>(
            "SELECT round_id, target_id, status, pages, error FROM round_targets WHERE round_id = @roundId ORDER BY target_id",
            new { roundId });
        return rows.Select(r => new RoundTarget(r.round_id, r.target_id, ParseStatus(r.status), (int)r.pages, r.error)).ToList();
    }

    /// <summary>Marks a target as being inspected (a kill leaves it 'running'; resume takes it up again).</summary>
    public async Task StartTargetAsync(string roundId, string targetId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("""
            UPDATE round_targets SET status = 'running', attempts = attempts + 1, started_at = @now
            WHERE round_id = @roundId AND target_id = @targetId AND status <> 'done'
            """,
            new { roundId, targetId, now = time.GetUtcNow().ToString("o") });
    }

    /// <summary>
    /// Records everything one target produced and marks it done, in one transaction. Earlier rows of the
    /// same (round, target) are replaced, so a job that runs twice leaves one result.
    /// </summary>
    public async Task CompleteTargetAsync(string roundId, string targetId, IReadOnlyList<Finding> findings,
        IReadOnlyList<PageRecord> pages, string? error, CancellationToken ct, IReadOnlyList<Column>? columns = null)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var keys = new { roundId, targetId };
        await CorrectionStore.DropCasesAsync(connection, tx, roundId, targetId);
        await connection.ExecuteAsync("DELETE FROM findings WHERE round_id = @roundId AND target_id = @targetId", keys, tx);
        await connection.ExecuteAsync("DELETE FROM pages WHERE round_id = @roundId AND target_id = @targetId", keys, tx);
        await connection.ExecuteAsync("DELETE FROM round_columns WHERE round_id = @roundId AND target_id = @targetId", keys, tx);
        await connection.ExecuteAsync("""
            INSERT OR REPLACE INTO round_columns (round_id, target_id, list_url, name, class, items, dated_items, newest, pages_read, rendered, placeholder)
            VALUES (@roundId, @targetId, @ListUrl, @Name, @Class, @Items, @DatedItems, @Newest, @PagesRead, @Rendered, @Placeholder)
            """,
            (columns ?? []).Select(c => new
            {
                roundId, targetId, c.ListUrl, c.Name, c.Class, c.Items, c.DatedItems,
                Newest = c.Newest?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), c.PagesRead, Rendered = c.Rendered ? 1 : 0, c.Placeholder,
            }),
            tx);
        await connection.ExecuteAsync("""
            INSERT INTO findings (round_id, target_id, check_code, severity, url, subject, detail, occurrences, observed_at, evidence)
            VALUES (@roundId, @targetId, @Check, @Severity, @Url, @Subject, @Detail, @Occurrences, @ObservedAt, @Evidence)
            ON CONFLICT (round_id, target_id, check_code, subject) DO UPDATE SET
                occurrences = occurrences + excluded.occurrences
            """,
            findings.Select(f => new
            {
                roundId, targetId, f.Check, Severity = f.Severity.ToCode(), f.Url, f.Subject, f.Detail, f.Occurrences,
                ObservedAt = f.ObservedAt.ToString("o"), f.Evidence,
            }),
            tx);
        await connection.ExecuteAsync("""
            INSERT OR REPLACE INTO pages (round_id, target_id, url, depth, state, status_code, content_type, bytes, elapsed_ms)
            VALUES (@roundId, @targetId, @Url, @Depth, @State, @StatusCode, @ContentType, @Bytes, @ElapsedMs)
            """,
            pages.Select(p => new { roundId, targetId, p.Url, p.Depth, p.State, p.StatusCode, p.ContentType, p.Bytes, p.ElapsedMs }),
            tx);
        await connection.ExecuteAsync("""
            UPDATE round_targets SET status = 'done', finished_at = @now, pages = @pages, error = @error
            WHERE round_id = @roundId AND target_id = @targetId
            """,
            new { roundId, targetId, now = time.GetUtcNow().ToString("o"), pages = pages.Count, error },
            tx);
        await CorrectionStore.OpenCasesAsync(connection, tx, roundId, targetId, time.GetUtcNow().ToString("o", System.Globalization.CultureInfo.InvariantCulture));
        await tx.CommitAsync(ct);
    }

    /// <summary>An account's activity in a round (newest post, posts in the recent window), for the reports.</summary>
    public async Task SaveAccountActivityAsync(string roundId, string targetId, DateTimeOffset? newestPost, int recentPosts, int postsRead, string state, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT OR REPLACE INTO round_accounts (round_id, target_id, newest_post, recent_posts, posts_read, state)
            VALUES (@roundId, @targetId, @newest, @recentPosts, @postsRead, @state)
            """, new { roundId, targetId, newest = newestPost?.ToString("o"), recentPosts, postsRead, state }, cancellationToken: ct));
    }

    /// <summary>The accounts' activity in a round: target, newest post, posts in the recent window, posts read, feed state.</summary>
    public async Task<IReadOnlyList<(string TargetId, DateTimeOffset? NewestPost, int RecentPosts, int PostsRead, string State)>> AccountActivityAsync(string roundId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string, string?, long, long, string)>(new CommandDefinition(
            "SELECT target_id, newest_post, recent_posts, posts_read, state FROM round_accounts WHERE round_id = @roundId ORDER BY target_id",
            new { roundId }, cancellationToken: ct));
        return rows.Select(r => (r.Item1, r.Item2 is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(r.Item2, System.Globalization.CultureInfo.InvariantCulture),
            (int)r.Item3, (int)r.Item4, r.Item5)).ToList();
    }

    /// <summary>How many of the last <paramref name="count"/> rounds of a kind exist, and every target drawn in them.</summary>
    public async Task<(int Rounds, IReadOnlySet<string> Targets)> RecentTargetIdsAsync(TargetKind kind, int count, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var ids = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM rounds WHERE kind = @kind ORDER BY created_at DESC, rowid DESC LIMIT @count",
            new { kind = kind.ToCode(), count }, cancellationToken: ct))).ToList();
        var targets = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT target_id FROM round_targets WHERE round_id IN @ids", new { ids }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        return (ids.Count, targets);
    }

    /// <summary>The columns found in a round, for one target or all, ordered by target and list URL.</summary>
    public async Task<IReadOnlyList<(string TargetId, Column Column)>> ColumnsAsync(string roundId, string? targetId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ColumnRow>(new CommandDefinition("""
            SELECT target_id, list_url, name, class, items, dated_items, newest, pages_read, rendered, placeholder
            FROM round_columns WHERE round_id = @roundId AND (@targetId IS NULL OR target_id = @targetId)
            ORDER BY target_id, list_url
            """, new { roundId, targetId }, cancellationToken: ct));
        return rows.Select(r => (r.target_id, new Column
        {
            ListUrl = r.list_url, Name = r.name, Class = r.@class, Items = (int)r.items, DatedItems = (int)r.dated_items,
            Newest = r.newest is null ? null : DateOnly.ParseExact(r.newest, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            PagesRead = (int)r.pages_read, Rendered = r.rendered != 0, Placeholder = r.placeholder,
        })).ToList();
    }

    private sealed class ColumnRow
    {
        public string target_id { get; set; } = "";
        public string list_url { get; set; } = "";
        public string name { get; set; } = "";
        public string? @class { get; set; }
        public long items { get; set; }
        public long dated_items { get; set; }
        public string? newest { get; set; }
        public long pages_read { get; set; }
        public long rendered { get; set; }
        public string? placeholder { get; set; }
    }

    /// <summary>Closes the round when every target is done; returns whether it is now complete.</summary>
    public async Task<bool> TryCompleteAsync(string roundId, string? notes, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var open = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM round_targets WHERE round_id = @roundId AND status <> 'done'", new { roundId });
        if (open > 0)
        {
            return false;
        }

        await connection.ExecuteAsync(
            "UPDATE rounds SET status = 'complete', finished_at = COALESCE(finished_at, @now), notes = @notes WHERE id = @roundId",
            new { roundId, now = time.GetUtcNow().ToString("o"), notes });
        return true;
    }

    private static RoundTargetStatus ParseStatus(string s) => s switch
    {
        "done" => RoundTargetStatus.Done,
        "running" => RoundTargetStatus.Running,
        _ => RoundTargetStatus.Pending,
    };

    private sealed class RoundRow
    {
        public string id { get; set; } = "";
        public string kind { get; set; } = "";
        public string as_of { get; set; } = "";
        public double sample_fraction { get; set; }
        public long seed { get; set; }
        public string status { get; set; } = "";
        public string created_at { get; set; } = "";
        public string? finished_at { get; set; }
        public string? notes { get; set; }

        public Round ToRound() => new()
        {
            Id = id,
            Kind = TargetKinds.FromCode(kind),
            AsOf = DateTimeOffset.Parse(as_of, System.Globalization.CultureInfo.InvariantCulture),
            SampleFraction = sample_fraction,
            Seed = (int)seed,
            Status = status == "complete" ? RoundStatus.Complete : RoundStatus.Running,
            CreatedAt = DateTimeOffset.Parse(created_at, System.Globalization.CultureInfo.InvariantCulture),
            FinishedAt = finished_at is null ? null : DateTimeOffset.Parse(finished_at, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>One crawled page as stored in <c>pages</c>.</summary>
public sealed record PageRecord(string Url, int Depth, string State, int? StatusCode, string? ContentType, long Bytes, long ElapsedMs);
