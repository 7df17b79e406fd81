using Dapper;
using SiteWatch.Core.Model;

namespace SiteWatch.Storage;

/// <summary>The registry of targets.</summary>
public sealed class TargetStore(Database database, TimeProvider time)
{
    /// <summary>Inserts or updates every target in one transaction: all land or none do.</summary>
    public async Task<(int Added, int Updated)> UpsertAsync(IReadOnlyList<Target> targets, bool dryRun, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var existing = (await connection.QueryAsync<string>("SELECT id FROM targets", transaction: tx)).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow().ToString("o");
        int added = 0, updated = 0;
        foreach (var t in targets)
        {
            if (existing.Contains(t.Id))
            {
                updated++;
            }
            else
            {
                added++;
            }

            await connection.ExecuteAsync("""
                INSERT INTO targets (id, kind, name, url, platform, account, organization, supervisor, region, level,
                                     site_code, icp, contact_email, created_at, updated_at)
                VALUES (@Id, @Kind, @Name, @Url, @Platform, @Account, @Organization, @Supervisor, @Region, @Level,
                        @SiteCode, @Icp, @ContactEmail, @Now, @Now)
                ON CONFLICT (id) DO UPDATE SET
                    kind = excluded.kind, name = excluded.name, url = excluded.url, platform = excluded.platform,
                    account = excluded.account, organization = excluded.organization, supervisor = excluded.supervisor,
                    region = excluded.region, level = excluded.level, site_code = excluded.site_code, icp = excluded.icp,
                    contact_email = excluded.contact_email, updated_at = excluded.updated_at
                """,
                new
                {
                    t.Id, Kind = t.Kind.ToCode(), t.Name, t.Url, t.Platform, t.Account, t.Organization, t.Supervisor,
                    t.Region, t.Level, t.SiteCode, t.Icp, t.ContactEmail, Now = now,
                },
                tx);
        }

        if (dryRun)
        {
            await tx.RollbackAsync(ct);
        }
        else
        {
            await tx.CommitAsync(ct);
        }

        return (added, updated);
    }

    public async Task<IReadOnlyList<Target>> ListAsync(CancellationToken ct, TargetKind? kind = null)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<TargetRow>(
            "SELECT * FROM targets WHERE (@kind IS NULL OR kind = @kind) ORDER BY region, id",
            new { kind = kind?.ToCode() });
        return rows.Select(r => r.ToTarget()).ToList();
    }

    /// <summary>The accounts an organization runs on a platform (duplicate-account), read by index rather than the whole registry.</summary>
    public async Task<IReadOnlyList<Target>> AccountsOfAsync(string organization, string platform, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<TargetRow>(new CommandDefinition(
            "SELECT * FROM targets WHERE kind = 'account' AND organization = @organization AND platform = @platform COLLATE NOCASE ORDER BY id",
            new { organization, platform }, cancellationToken: ct));
        return rows.Select(r => r.ToTarget()).ToList();
    }

    public async Task<IReadOnlyDictionary<string, Target>> GetManyAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<TargetRow>("SELECT * FROM targets WHERE id IN @ids", new { ids = ids.ToArray() });
        return rows.Select(r => r.ToTarget()).ToDictionary(t => t.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// The registry as it stood at <paramref name="end"/> (exclusive): every target registered before then (the annual
    /// tables' 年末 totals). Targets are never deleted, so one registered later is simply not counted.
    /// </summary>
    public async Task<IReadOnlyList<Target>> RegisteredBeforeAsync(DateTimeOffset end, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<TargetRow>(new CommandDefinition(
            "SELECT * FROM targets ORDER BY region, id", cancellationToken: ct));
        // created_at is ISO 8601 with an offset: compared as instants, not as text.
        return rows.Where(r => DateTimeOffset.Parse(r.created_at, System.Globalization.CultureInfo.InvariantCulture) < end)
            .Select(r => r.ToTarget()).ToList();
    }

    private sealed class TargetRow
    {
        public string id { get; set; } = "";
        public string kind { get; set; } = "";
        public string name { get; set; } = "";
        public string url { get; set; } = "";
        public string? platform { get; set; }
        public string? account { get; set; }
        public string organization { get; set; } = "";
        public string? supervisor { get; set; }
        public string region { get; set; } = "";
        public string? level { get; set; }
        public string? site_code { get; set; }
        public string? icp { get; set; }
        public string? contact_email { get; set; }
        public string created_at { get; set; } = "";

        public Target ToTarget() => new()
        {
            Id = id,
            Kind = TargetKinds.FromCode(kind),
            Name = name,
            Url = url,
            Platform = platform,
            Account = account,
            Organization = organization,
            Supervisor = supervisor,
            Region = region,
            Level = level,
            SiteCode = site_code,
            Icp = icp,
            ContactEmail = contact_email,
        };
    }
}
