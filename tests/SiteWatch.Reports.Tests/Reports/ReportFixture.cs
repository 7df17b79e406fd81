using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Reports.Tests.Reports;

/// <summary>
/// A website round with known findings, built through the real stores in a real SQLite file:
/// 临江县 — A (veto: stale home page; 12 dead links; a notice), B (clean), C (39 points: just under the limit of 40, and a notice);
/// 青山县 — D (42 points: just over), E (veto findings whose crawled text looks like formulas).
/// F (registered, not sampled) and an account are in the registry but not in the round.
/// </summary>
internal sealed class ReportFixture : IAsyncDisposable
{
    public const string RoundId = "2026Q4";
    public static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8)); // a Friday
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    public static readonly string[] Injections = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)"];

    private ReportFixture(TestServices services) => Services = services;

    public TestServices Services { get; }

    public TempFolder Out { get; } = new();

    public int FindingCount { get; private set; }

    public static async Task<ReportFixture> CreateAsync(TargetKind kind = TargetKind.Website)
    {
        var fixture = new ReportFixture(await new TestServices(time: new FakeClock(Now)).MigrateAsync());
        await fixture.SeedAsync(kind);
        return fixture;
    }

    public Task<(Round Round, ReportInput Input, ReportResult Result)> WriteAsync() =>
        Services.Get<RoundReports>().WriteAsync(RoundId, Out.Path, CancellationToken.None);

    private async Task SeedAsync(TargetKind kind)
    {
        var ct = CancellationToken.None;
        Target Site(string id, string name, string region) => new()
        {
            Id = id, Kind = TargetKind.Website, Name = name, Url = $"http://www.{id}.gov.cn/", Organization = name + "办公室", Region = region, SiteCode = id,
        };

        var targets = new List<Target>
        {
            Site("4306260001", "临江县人民政府", "临江县"),
            Site("4306260002", "临江县教育局", "临江县"),
            Site("4306260003", "临江县卫健局", "临江县"),
            Site("4306270001", "青山县人民政府", "青山县"),
            Site("4306270002", "青山县商务局", "青山县") with { Organization = "-青山县商务局" },
            Site("4306270003", "青山县水利局", "青山县"),
            new() { Id = "weibo:qs", Kind = TargetKind.Account, Name = "青山发布", Url = "https://m.weibo.cn/u/1", Organization = "青山县人民政府办公室", Region = "青山县", Platform = "weibo", Account = "qs" },
            new() { Id = "weibo:lj", Kind = TargetKind.Account, Name = "临江发布", Url = "https://m.weibo.cn/u/2", Organization = "临江县人民政府办公室", Region = "临江县", Platform = "weibo", Account = "lj" },
        };
        await Services.Get<TargetStore>().UpsertAsync(targets, dryRun: false, ct);
        var rounds = Services.Get<RoundStore>();

        if (kind == TargetKind.Account)
        {
            await rounds.CreateAsync(Round(kind), ["weibo:lj", "weibo:qs"], ct);
            await Complete("weibo:lj", [F("sleeping-account", Severity.Veto, "lj", "newest post 2026-10-01 09:00, 50 days before 2026-11-20; limit 14 days")]);
            await Complete("weibo:qs", []);
            await rounds.TryCompleteAsync(RoundId, null, ct);
            return;
        }

        await rounds.CreateAsync(Round(kind), ["4306260001", "4306260002", "4306260003", "4306270001", "4306270002"], ct);
        await Complete("4306260001", [
            F("stale-homepage", Severity.Veto, "http://www.4306260001.gov.cn/",
                "newest dated item on the home page is 2026-10-01, 50 days before 2026-11-20; limit 14 days (12 dated items)"),
            .. DeadLinks("4306260001", 12),
            F("tls-invalid", Severity.Notice, "www.4306260001.gov.cn", "certificate expires 2026-12-01"),
        ]);
        await Complete("4306260002", []);
        await Complete("4306260003", [.. DeadLinks("4306260003", 19), .. StaleColumns("4306260003", 10),
            F("not-checked", Severity.Notice, "http://www.4306260003.gov.cn/zwgk/", "WAF answered every request")]);
        await Complete("4306270001", [.. DeadLinks("4306270001", 21), .. StaleColumns("4306270001", 10),
            F("missing-identity", Severity.Deduct, "icp", "no ICP备案编号 on the home page")]);
        await Complete("4306270002", [
            F("commercial-ad", Severity.Veto, Injections[0], Injections[1]) with { Evidence = Injections[2] },
            F("serious-error", Severity.Veto, Injections[3], Injections[2]) with { Evidence = Injections[0], Url = Injections[1] },
        ]);
        await rounds.TryCompleteAsync(RoundId, null, ct);
    }

    private async Task Complete(string target, IReadOnlyList<Finding> findings)
    {
        FindingCount += findings.Count;
        var rounds = Services.Get<RoundStore>();
        await rounds.StartTargetAsync(RoundId, target, CancellationToken.None);
        await rounds.CompleteTargetAsync(RoundId, target, findings, [], null, CancellationToken.None);
    }

    private static Round Round(TargetKind kind) => new()
    {
        Id = RoundId, Kind = kind, AsOf = AsOf, SampleFraction = 0.3, Seed = 42, Status = RoundStatus.Running, CreatedAt = Now,
    };

    private static Finding F(string check, Severity severity, string subject, string detail) => new()
    {
        Check = check, Severity = severity, Url = "http://www.example.gov.cn/", Subject = subject, Detail = detail, ObservedAt = AsOf,
    };

    private static IEnumerable<Finding> DeadLinks(string site, int count) => Enumerable.Range(1, count)
        .Select(i => F("dead-link", Severity.Deduct, $"http://www.{site}.gov.cn/a/{i}.html", "HTTP 404") with { Evidence = "HTTP/1.1 404 Not Found" });

    private static IEnumerable<Finding> StaleColumns(string site, int count) => Enumerable.Range(1, count)
        .Select(i => F("stale-column", Severity.Deduct, $"http://www.{site}.gov.cn/col{i}/", $"栏目「栏目{i}」: newest item 2026-01-01"));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Out.Dispose();
    }
}
