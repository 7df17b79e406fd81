using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Storage.Tests;

public sealed class MigratorTests
{
    [Fact]
    public async Task MigrateAsync_UpgradesVersion1FileAndKeepsItsData_WhenOpenedByThisVersion()
    {
        using var folder = new TempFolder();
        var database = new Database(folder.File("old.db"));
        var migrator = new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance);

        // An installation that stopped at schema version 1, with a target, a round and a finding in it.
        Assert.Equal(1, await migrator.MigrateAsync(CancellationToken.None, upTo: 1));
        await using (var c = await database.OpenAsync(CancellationToken.None))
        {
            await c.ExecuteAsync("""
                INSERT INTO targets (id, kind, name, url, organization, region, created_at, updated_at)
                VALUES ('4300000001', 'website', '湖南省人民政府', 'https://www.hunan.gov.cn/', '湖南省人民政府办公厅', '湖南省', 'x', 'x');
                INSERT INTO rounds (id, kind, as_of, sample_fraction, seed, status, created_at)
                VALUES ('2026Q3', 'website', '2026-09-30T00:00:00+08:00', 0.3, 1, 'complete', 'x');
                INSERT INTO findings (round_id, target_id, check_code, severity, url, subject, detail, occurrences, observed_at)
                VALUES ('2026Q3', '4300000001', 'dead-link', 'deduct', 'https://www.hunan.gov.cn/', 'https://www.hunan.gov.cn/a.pdf', 'HTTP 404', 2, 'x');
                """);
            Assert.Empty(await c.QueryAsync("SELECT name FROM sqlite_master WHERE name = 'pages'"));
        }

        var version = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(Migrator.LatestVersion, version);
        await using var check = await database.OpenAsync(CancellationToken.None);
        Assert.Equal("湖南省人民政府", await check.ExecuteScalarAsync<string>("SELECT name FROM targets WHERE id = '4300000001'"));
        Assert.Equal(2, await check.ExecuteScalarAsync<int>("SELECT occurrences FROM findings WHERE round_id = '2026Q3'"));
        Assert.Null(await check.ExecuteScalarAsync<string?>("SELECT evidence FROM findings WHERE round_id = '2026Q3'"));
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM pages"));
        Assert.Equal(Enumerable.Range(1, Migrator.LatestVersion),
            await check.QueryAsync<int>("SELECT version FROM schema_version ORDER BY version"));
        Assert.Equal("wal", await check.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task MigrateAsync_IsANoOp_WhenRunTwice()
    {
        using var folder = new TempFolder();
        var database = new Database(folder.File("twice.db"));
        var migrator = new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance);

        await migrator.MigrateAsync(CancellationToken.None);
        var again = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(Migrator.LatestVersion, again);
        await using var c = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(Migrator.LatestVersion, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_version"));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task MigrateAsync_Refuses_WhenTheFileIsFromANewerSiteWatch()
    {
        using var folder = new TempFolder();
        var database = new Database(folder.File("newer.db"));
        var migrator = new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
        await using (var c = await database.OpenAsync(CancellationToken.None))
        {
            await c.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 'x')");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(CancellationToken.None));
        Assert.Contains("newer than this SiteWatch", error.Message);
        SqliteConnection.ClearAllPools();
    }
}
