using Dapper;
using Microsoft.Data.Sqlite;
using SiteWatch.Core.Model;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Storage.Tests;

public sealed class CorrectionStoreTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task CompleteTargetAsync_OpensACasePerVetoAndDeductFinding_ButNotForNotices()
    {
        await using var services = await new TestServices(time: new FakeClock(AsOf)).MigrateAsync();
        await StoreRoundAsync(services, "2026Q4", "a", Dead("/gone.html"), Veto(), Notice());

        var cases = await services.Get<CorrectionStore>().ListAsync(openOnly: true, Ct);

        Assert.Equal(["dead-link", "stale-homepage"], cases.Select(c => c.Finding.Check).Order(StringComparer.Ordinal));
        Assert.All(cases, c => Assert.Equal(CorrectionState.Found, c.State));
        Assert.All(cases, c => Assert.Null(c.Due));
        var history = await services.Get<CorrectionStore>().HistoryAsync(cases[0].FindingId, Ct);
        Assert.Equal([CorrectionState.Found], history.Select(e => e.State));
    }

    [Fact]
    public async Task CompleteTargetAsync_LeavesOneCasePerFinding_WhenAJobRunsTwice()
    {
        await using var services = await new TestServices(time: new FakeClock(AsOf)).MigrateAsync();
        await StoreRoundAsync(services, "2026Q4", "a", Dead("/gone.html"));
        await services.Get<RoundStore>().CompleteTargetAsync("2026Q4", "a", [Dead("/gone.html")], [], null, Ct);

        var only = Assert.Single(await services.Get<CorrectionStore>().ListAsync(openOnly: false, Ct));
        Assert.Single(await services.Get<CorrectionStore>().HistoryAsync(only.FindingId, Ct));
    }

    [Fact]
    public async Task NotifyAsync_SetsTheDeadlineOnce_AndRecordsEachMailing()
    {
        await using var services = await new TestServices(time: new FakeClock(AsOf)).MigrateAsync();
        await StoreRoundAsync(services, "2026Q4", "a", Dead("/gone.html"));
        var store = services.Get<CorrectionStore>();
        var due = new DateOnly(2026, 12, 11);

        Assert.Equal(1, await store.NotifyAsync("2026Q4", "a", due, CorrectionStore.SystemActor, null, Ct));
        Assert.Equal(1, await store.NotifyAsync("2026Q4", "a", due.AddDays(5), CorrectionStore.SystemActor, null, Ct)); // the report written again
        await store.NotifyAsync("2026Q4", "a", due, CorrectionStore.SystemActor, "mailed to web@x.gov.cn", Ct);

        var c = Assert.Single(await store.ListAsync(openOnly: true, Ct));
        Assert.Equal(CorrectionState.Notified, c.State);
        Assert.Equal(due, c.Due);
        Assert.False(c.IsOverdue(due));
        Assert.True(c.IsOverdue(due.AddDays(1)));
        var history = await store.HistoryAsync(c.FindingId, Ct);
        Assert.Equal([CorrectionState.Found, CorrectionState.Notified, CorrectionState.Notified], history.Select(e => e.State));
        Assert.Equal("mailed to web@x.gov.cn", history[^1].Comment);
    }

    [Fact]
    public async Task ClaimAsync_RefusesWithOneLine_WhenUnknownEmptyClaimedOrClosed()
    {
        var clock = new FakeClock(AsOf);
        await using var services = await new TestServices(time: clock).MigrateAsync();
        await StoreRoundAsync(services, "2026Q4", "a", Dead("/gone.html"));
        var store = services.Get<CorrectionStore>();
        var id = (await store.ListAsync(openOnly: true, Ct))[0].FindingId;

        Assert.Contains("not in the correction loop", (await Assert.ThrowsAsync<CorrectionException>(() => store.ClaimAsync(999, "web", "done", Ct))).Message, StringComparison.Ordinal);
        Assert.Contains("comment is required", (await Assert.ThrowsAsync<CorrectionException>(() => store.ClaimAsync(id, "web", "  ", Ct))).Message, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromHours(1));
        var claimed = await store.ClaimAsync(id, "web", "删除了失效链接", Ct);
        Assert.Equal(CorrectionState.Claimed, claimed.State);
        Assert.Contains("already marked fixed", (await Assert.ThrowsAsync<CorrectionException>(() => store.ClaimAsync(id, "web", "again", Ct))).Message, StringComparison.Ordinal);

        await store.RecordRecheckAsync(id, RecheckVerdict.Gone, null, "not found again", Ct);
        Assert.Contains("is closed", (await Assert.ThrowsAsync<CorrectionException>(() => store.ClaimAsync(id, "web", "again", Ct))).Message, StringComparison.Ordinal);
        var history = await store.HistoryAsync(id, Ct);
        Assert.Equal([CorrectionState.Found, CorrectionState.Claimed, CorrectionState.Verified], history.Select(e => e.State));
        Assert.Equal(("web", "删除了失效链接"), (history[1].Actor, history[1].Comment));
        Assert.Equal(AsOf.AddHours(1), history[1].At);
    }

    [Fact]
    public async Task RecordRecheckAsync_ReopensAClaimWithTheFreshEvidence_KeepsAnUnclaimedCase_AndConcludesNothingWhenUndecided()
    {
        await using var services = await new TestServices(time: new FakeClock(AsOf)).MigrateAsync();
        await StoreRoundAsync(services, "2026Q4", "a", Dead("/one.html"), Dead("/two.html"), Dead("/three.html"));
        var store = services.Get<CorrectionStore>();
        var ids = (await store.ListAsync(openOnly: true, Ct)).ToDictionary(c => c.Finding.Subject, c => c.FindingId);
        var one = ids["http://www.a.gov.cn/one.html"];
        var two = ids["http://www.a.gov.cn/two.html"];
        var three = ids["http://www.a.gov.cn/three.html"];
        await store.ClaimAsync(one, "web", "fixed", Ct);
        await store.ClaimAsync(three, "web", "fixed", Ct);
        var fresh = Dead("/one.html") with { Detail = "HTTP 410", Evidence = "GET /one.html → 410 Gone" };

        Assert.Equal(CorrectionState.Reopened, await store.RecordRecheckAsync(one, RecheckVerdict.StillThere, fresh, "still found", Ct));
        Assert.Equal(CorrectionState.Found, await store.RecordRecheckAsync(two, RecheckVerdict.StillThere, fresh, "still found", Ct));
        Assert.Equal(CorrectionState.Claimed, await store.RecordRecheckAsync(three, RecheckVerdict.Undecided, null, "could not read the page", Ct));

        var reopened = (await store.HistoryAsync(one, Ct))[^1];
        Assert.Equal((CorrectionState.Reopened, "HTTP 410", "GET /one.html → 410 Gone"), (reopened.State, reopened.Detail, reopened.Evidence));
        Assert.Single(await store.HistoryAsync(two, Ct)); // still open and unclaimed: the daily re-check adds no noise
        var undecided = (await store.GetAsync(three, Ct))!;
        Assert.Equal(("could not read the page", AsOf), (undecided.LastCheck, undecided.CheckedAt!.Value));
        Assert.Equal(["a"], await store.TargetsWithOpenAsync(Ct));
    }

    [Fact]
    public async Task RecordRecheckAsync_DoesNotReopenAClaimMadeAfterTheRecheckBeganLooking()
    {
        var clock = new FakeClock(AsOf);
        await using var services = await new TestServices(time: clock).MigrateAsync();
        await StoreRoundAsync(services, "2026Q4", "a", Dead("/one.html"));
        var store = services.Get<CorrectionStore>();
        var id = (await store.ListAsync(openOnly: true, Ct))[0].FindingId;
        var lookedAt = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(1));
        await store.ClaimAsync(id, "web", "fixed just now", Ct); // while the daily re-check was crawling

        var state = await store.RecordRecheckAsync(id, RecheckVerdict.StillThere, Dead("/one.html"), "still found", Ct, lookedAt);

        Assert.Equal(CorrectionState.Claimed, state);
        Assert.StartsWith("复查早于整改声明", (await store.GetAsync(id, Ct))!.LastCheck, StringComparison.Ordinal);
        Assert.Equal(CorrectionState.Reopened, await store.RecordRecheckAsync(id, RecheckVerdict.StillThere, Dead("/one.html"), "still found", Ct, clock.GetUtcNow()));
    }

    [Fact]
    public async Task CompleteTargetAsync_SupersedesTheOpenCasesOfAnEarlierRound_OfTheSameTargetOnly()
    {
        var clock = new FakeClock(AsOf);
        await using var services = await new TestServices(time: clock).MigrateAsync();
        await StoreRoundAsync(services, "2026Q3", "a", Dead("/old.html"));
        await services.Get<RoundStore>().CompleteTargetAsync("2026Q3", "b", [Dead("/b.html")], [], null, Ct);
        clock.Advance(TimeSpan.FromDays(90));
        await StoreRoundAsync(services, "2026Q4", "a", Dead("/new.html"));

        var all = await services.Get<CorrectionStore>().ListAsync(openOnly: false, Ct);
        Assert.Equal(CorrectionState.Superseded, all.Single(c => c.RoundId == "2026Q3" && c.TargetId == "a").State);
        Assert.Equal(CorrectionState.Found, all.Single(c => c.RoundId == "2026Q3" && c.TargetId == "b").State);
        Assert.Equal(CorrectionState.Found, all.Single(c => c.RoundId == "2026Q4").State);
        Assert.NotNull(all.Single(c => c.RoundId == "2026Q3" && c.TargetId == "a").ClosedAt);
    }

    [Fact]
    public async Task Migration_PutsFindingsStoredBeforeIt_IntoTheLoop()
    {
        using var folder = new TempFolder();
        var database = new Database(folder.File("old.db"));
        await new Migrator(database, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance).MigrateAsync(Ct, upTo: 7);
        await using (var connection = await database.OpenAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO rounds (id, kind, as_of, sample_fraction, seed, status, created_at) VALUES
                    ('2026Q3', 'website', '2026-08-20T10:00:00+08:00', 0.3, 1, 'complete', '2026-08-20T02:00:00+00:00'),
                    ('2026Q4', 'website', '2026-11-20T10:00:00+08:00', 0.3, 1, 'complete', '2026-11-20T02:00:00+00:00');
                INSERT INTO round_targets (round_id, target_id, status) VALUES ('2026Q3', 'a', 'done'), ('2026Q3', 'b', 'done'), ('2026Q4', 'a', 'done');
                INSERT INTO findings (round_id, target_id, check_code, severity, url, subject, detail, observed_at) VALUES
                    ('2026Q3', 'a', 'dead-link', 'deduct', 'u', 's1', 'd', '2026-08-20T10:00:00+08:00'),
                    ('2026Q3', 'b', 'dead-link', 'deduct', 'u', 's2', 'd', '2026-08-20T10:00:00+08:00'),
                    ('2026Q3', 'b', 'not-checked', 'notice', 'u', 's3', 'd', '2026-08-20T10:00:00+08:00'),
                    ('2026Q4', 'a', 'stale-homepage', 'veto', 'u', 's4', 'd', '2026-11-20T10:00:00+08:00');
                """);
        }

        await new Migrator(database, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance).MigrateAsync(Ct);

        SqliteConnection.ClearAllPools();
        var cases = await new CorrectionStore(database, TimeProvider.System).ListAsync(openOnly: false, Ct);
        Assert.Equal(
            [("2026Q3", "a", CorrectionState.Superseded), ("2026Q3", "b", CorrectionState.Found), ("2026Q4", "a", CorrectionState.Found)],
            cases.Select(c => (c.RoundId, c.TargetId, c.State)).OrderBy(c => c.RoundId, StringComparer.Ordinal).ThenBy(c => c.TargetId, StringComparer.Ordinal));
    }

    private static async Task StoreRoundAsync(TestServices services, string roundId, string targetId, params Finding[] findings)
    {
        var rounds = services.Get<RoundStore>();
        var created = services.Get<TimeProvider>().GetUtcNow();
        if (await rounds.GetAsync(roundId, Ct) is null)
        {
            await rounds.CreateAsync(new Round
            {
                Id = roundId, Kind = TargetKind.Website, AsOf = AsOf, SampleFraction = 0.3, Seed = 7, Status = RoundStatus.Running, CreatedAt = created,
            }, [targetId, "b"], Ct);
        }

        await rounds.CompleteTargetAsync(roundId, targetId, findings, [], null, Ct);
    }

    private static Finding Dead(string path) => new()
    {
        Check = "dead-link", Severity = Severity.Deduct, Url = "http://www.a.gov.cn/", Subject = "http://www.a.gov.cn" + path, Detail = "HTTP 404", ObservedAt = AsOf,
    };

    private static Finding Veto() => new()
    {
        Check = "stale-homepage", Severity = Severity.Veto, Url = "http://www.a.gov.cn/", Subject = "http://www.a.gov.cn/", Detail = "首页超过14天未更新", ObservedAt = AsOf,
    };

    private static Finding Notice() => new()
    {
        Check = "not-checked", Severity = Severity.Notice, Url = "http://www.a.gov.cn/", Subject = "http://www.a.gov.cn/x", Detail = "throttled", ObservedAt = AsOf,
    };
}
