using SiteWatch.Core.Model;
using SiteWatch.Reports.Annual;
using SiteWatch.Scheduling;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Reports.Tests.Annual;

/// <summary>
/// A year (2026) of rounds with known findings and correction states, built through the real stores in a real SQLite file.
/// <para>Registry (2026-01-10): websites W1 临江县人民政府, W2 (a name that looks like a formula), W3 青山县人民政府, W4 (never
/// inspected); accounts A1 临江发布 (weibo), A2 青山微信 (wechat), A3 (weibo, never inspected). W5 is registered in 2027.</para>
/// <para>2026Q1 (website, as-of 2026-02-16, sample W1–W4, W4 never finished): W1 veto stale-homepage + 3 dead links
/// (不合格; 5 columns); W2 2 dead links (2 points, 合格); W3 a notice only (合格; 4 columns).
/// Then dead link 1 of W1 and both of W2 are claimed and verified.</para>
/// <para>2026Q1-account (as-of 2026-03-20): A1 sleeping-account veto (不合格; claimed and verified later), A2 clean (6 recent posts).</para>
/// <para>2026Q3 (website, as-of 2026-08-10): W1 2 stale columns (4 points, 合格; 8 columns) — supersedes W1's open 2026Q1 cases
/// (stale-homepage, dead links 2 and 3); W2 veto commercial-ad (不合格, stays open; 3 columns).</para>
/// <para>2026Q3-account (as-of 2026-09-05): A1 account-unreachable veto (不合格, stays open; no posts read).</para>
/// <para>2027Q1 (website, as-of 2027-01-01 07:00 +08:00, i.e. still 2026 in UTC): W1 one dead link. Not part of 2026, but it
/// supersedes W1's 2026Q3 stale-column cases.</para>
/// </summary>
internal sealed class AnnualFixture : IAsyncDisposable
{
    public const int Year = 2026;
    public static readonly TimeSpan China = TimeSpan.FromHours(8);
    public static readonly DateTimeOffset Start = new(2026, 1, 10, 2, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2027, 2, 1, 1, 0, 0, TimeSpan.Zero);
    public const string FormulaName = "=HYPERLINK(\"http://x\",\"临江县教育局\")";

    private readonly FakeClock clock;

    private AnnualFixture(TestServices services, FakeClock clock)
    {
        Services = services;
        this.clock = clock;
    }

    public TestServices Services { get; }

    public TempFolder Out { get; } = new();

    public static async Task<AnnualFixture> CreateAsync()
    {
        var clock = new FakeClock(Start);
        var fixture = new AnnualFixture(await new TestServices(time: clock).MigrateAsync(), clock);
        await fixture.SeedAsync();
        return fixture;
    }

    public Task<AnnualResult> WriteAsync(int year = Year) =>
        Services.Get<AnnualReports>().WriteAsync(year, Out.Path, CancellationToken.None);

    private async Task SeedAsync()
    {
        var ct = CancellationToken.None;
        var store = Services.Get<TargetStore>();
        await store.UpsertAsync(
        [
            Site("4306260001", "临江县人民政府", "临江县") with { Level = "县级", Icp = "湘ICP备05000001号" },
            Site("4306260002", FormulaName, "临江县") with { Level = "县级", Organization = "+临江县教育局" },
            Site("4306270001", "青山县人民政府", "青山县"),
            Site("4306270002", "青山县水利局", "青山县"),
            Account("weibo:lj", "临江发布", "临江县", "weibo"),
            Account("wechat:qs", "青山微信", "青山县", "wechat"),
            Account("weibo:qs", "青山发布", "青山县", "weibo"),
        ], dryRun: false, ct);

        var rounds = Services.Get<RoundStore>();
        var corrections = Services.Get<CorrectionStore>();

        await rounds.CreateAsync(Round("2026Q1", TargetKind.Website, new(2026, 2, 16, 10, 0, 0, China)), ["4306260001", "4306260002", "4306270001", "4306270002"], ct);
        await Complete("2026Q1", "4306260001", [F("stale-homepage", Severity.Veto, "home", "newest dated item on the home page is 2026-01-02, 45 days before 2026-02-16; limit 14 days"),
            .. DeadLinks(3)], columns: 5);
        await Complete("2026Q1", "4306260002", [.. DeadLinks(2)]);
        await Complete("2026Q1", "4306270001", [F("tls-invalid", Severity.Notice, "www.4306270001.gov.cn", "certificate expires soon")], columns: 4);
        await Fix("4306260001", "http://x/dead/1");
        await Fix("4306260002", "http://x/dead/1");
        await Fix("4306260002", "http://x/dead/2");

        await rounds.CreateAsync(Round("2026Q1-account", TargetKind.Account, new(2026, 3, 20, 10, 0, 0, China)), ["weibo:lj", "wechat:qs"], ct);
        await Complete("2026Q1-account", "weibo:lj", [F("sleeping-account", Severity.Veto, "lj", "newest post 2026-02-01 09:00, 47 days before 2026-03-20; limit 14 days")]);
        await rounds.SaveAccountActivityAsync("2026Q1-account", "weibo:lj", new DateTimeOffset(2026, 2, 1, 9, 0, 0, China), 0, 10, "ok", ct);
        await Complete("2026Q1-account", "wechat:qs", []);
        await rounds.SaveAccountActivityAsync("2026Q1-account", "wechat:qs", new DateTimeOffset(2026, 3, 19, 18, 0, 0, China), 6, 10, "ok", ct);
        await rounds.TryCompleteAsync("2026Q1-account", null, ct);
        await Fix("weibo:lj", "lj");

        await rounds.CreateAsync(Round("2026Q3", TargetKind.Website, new(2026, 8, 10, 10, 0, 0, China)), ["4306260001", "4306260002"], ct);
        await Complete("2026Q3", "4306260001", [.. StaleColumns(2)], columns: 8);
        await Complete("2026Q3", "4306260002", [F("commercial-ad", Severity.Veto, "https://ads.example.com/a.js", "third-party ad script")], columns: 3);
        await rounds.TryCompleteAsync("2026Q3", null, ct);

        await rounds.CreateAsync(Round("2026Q3-account", TargetKind.Account, new(2026, 9, 5, 10, 0, 0, China)), ["weibo:lj"], ct);
        await Complete("2026Q3-account", "weibo:lj", [F("account-unreachable", Severity.Veto, "lj", "HTTP 404")]);
        await rounds.SaveAccountActivityAsync("2026Q3-account", "weibo:lj", null, 0, 0, "gone", ct);
        await rounds.TryCompleteAsync("2026Q3-account", null, ct);

        clock.Advance(Now - clock.GetUtcNow());
        await store.UpsertAsync([Site("4306280001", "东湖区人民政府", "东湖区")], dryRun: false, ct);
        await rounds.CreateAsync(Round("2027Q1", TargetKind.Website, new(2027, 1, 1, 7, 0, 0, China)), ["4306260001"], ct);
        await Complete("2027Q1", "4306260001", [.. DeadLinks(1)], columns: 9);

        async Task Complete(string round, string target, IReadOnlyList<Finding> findings, int columns = 0)
        {
            await rounds.StartTargetAsync(round, target, ct);
            await rounds.CompleteTargetAsync(round, target, findings, [], null, ct, Enumerable.Range(1, columns).Select(i => new Column
            {
                ListUrl = $"http://www.{target}.gov.cn/col{i}/", Name = $"栏目{i}", Items = 10, DatedItems = 10, PagesRead = 1,
            }).ToList());
        }

        async Task Fix(string target, string subject)
        {
            var open = (await corrections.ListAsync(openOnly: true, ct, target)).Single(c => c.Finding.Subject == subject);
            await corrections.ClaimAsync(open.FindingId, "webmaster", "已修复", ct);
            await corrections.RecordRecheckAsync(open.FindingId, RecheckVerdict.Gone, null, "no longer found", ct);
        }
    }

    private Round Round(string id, TargetKind kind, DateTimeOffset asOf) => new()
    {
        Id = id, Kind = kind, AsOf = asOf, SampleFraction = 0.3, Seed = 7, Status = RoundStatus.Running, CreatedAt = asOf,
    };

    private static Target Site(string id, string name, string region) => new()
    {
        Id = id, Kind = TargetKind.Website, Name = name, Url = $"http://www.{id}.gov.cn/", Organization = name + "办公室", Region = region, SiteCode = id,
    };

    private static Target Account(string id, string name, string region, string platform) => new()
    {
        Id = id, Kind = TargetKind.Account, Name = name, Url = $"https://example.com/{id}", Organization = region + "人民政府办公室", Region = region,
        Platform = platform, Account = id.Split(':')[1],
    };

    private static Finding F(string check, Severity severity, string subject, string detail) => new()
    {
        Check = check, Severity = severity, Url = "http://www.example.gov.cn/", Subject = subject, Detail = detail, ObservedAt = Start,
    };

    private static IEnumerable<Finding> DeadLinks(int count) =>
        Enumerable.Range(1, count).Select(i => F("dead-link", Severity.Deduct, $"http://x/dead/{i}", "HTTP 404"));

    private static IEnumerable<Finding> StaleColumns(int count) =>
        Enumerable.Range(1, count).Select(i => F("stale-column", Severity.Deduct, $"http://x/col{i}/", $"栏目「栏目{i}」: newest item 2026-01-01"));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Out.Dispose();
    }
}
