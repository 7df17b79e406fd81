using System.Globalization;
using Microsoft.AspNetCore.Http;
using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.Scheduling.Corrections;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Scheduling.Tests;

/// <summary>
/// The correction loop end to end on a fixture site: a round finds two dead links, the webmaster claims both fixed but
/// removes only one; the re-check verifies the removed one and reopens the other with fresh evidence; while the site is
/// down a re-check concludes nothing.
/// </summary>
public sealed class RechecksTests
{
    private const string Host = "www.linjiang.gov.cn";
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task RecheckTargetAsync_VerifiesAFixedLink_ReopensAClaimedOneStillThere_AndConcludesNothingWhileTheSiteIsDown()
    {
        var links = new List<string> { "/gone-a.html", "/gone-b.html" };
        var down = false;
        await using var site = await FakeSite.StartAsync(s => s
            .Handle("/", async c =>
            {
                if (down)
                {
                    c.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }

                // Dated today so that the home page is fresh whenever the test runs.
                var today = TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                c.Response.ContentType = "text/html; charset=utf-8";
                await c.Response.WriteAsync($"""
                    <html><head><title>临江县人民政府</title></head><body>
                    <ul>{string.Concat(links.Select(l => $"<li><a href=\"{l}\">通知公告 {l}</a> <span>{today}</span></li>"))}</ul>
                    <p>网站标识码：4306260001 湘ICP备05001234号 湘公网安备 43062602000123号</p><img alt="党政机关" src="/b.png"></body></html>
                    """);
            })
            .Raw("/b.png", [0x89, 0x50], "image/png"));
        await using var services = await new TestServices(new Dictionary<string, string?> { [$"Network:ConnectTo:{Host}"] = site.EndPoint }).MigrateAsync();
        await services.Get<TargetStore>().UpsertAsync([TargetInspectorTests.Target() with { Url = $"http://{Host}/" }], dryRun: false, Ct);
        var runner = services.Get<RoundRunner>();
        var now = TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        var round = await runner.PrepareAsync(new RoundRequest { All = true, AsOf = now, RoundId = "2026Q4" }, Ct);
        Assert.True(await runner.RunAsync(round, progress: null, Ct));
        var store = services.Get<CorrectionStore>();
        var cases = (await store.ListAsync(openOnly: true, Ct)).ToDictionary(c => c.Finding.Subject);
        Assert.Equal([$"http://{Host}/gone-a.html", $"http://{Host}/gone-b.html"], cases.Keys.Order(StringComparer.Ordinal));
        var a = cases[$"http://{Host}/gone-a.html"].FindingId;
        var b = cases[$"http://{Host}/gone-b.html"].FindingId;
        await store.ClaimAsync(a, "webmaster", "删除了失效链接", Ct);
        await store.ClaimAsync(b, "webmaster", "已修复", Ct);

        links.Remove("/gone-a.html");
        var checksOfB = site.Requests.Count(r => r.EndsWith(" /gone-b.html", StringComparison.Ordinal));
        var outcomes = await services.Get<Rechecks>().RecheckTargetAsync("4306260001", Ct);

        Assert.Equal(CorrectionState.Verified, outcomes.Single(o => o.Correction.FindingId == a).State);
        Assert.Equal(CorrectionState.Reopened, outcomes.Single(o => o.Correction.FindingId == b).State);
        var reopened = (await store.HistoryAsync(b, Ct))[^1];
        Assert.Equal((CorrectionState.Reopened, CorrectionStore.SystemActor), (reopened.State, reopened.Actor));
        Assert.Contains("404", reopened.Detail, StringComparison.Ordinal);
        Assert.Contains($"not found again on http://{Host}/", (await store.GetAsync(a, Ct))!.LastCheck, StringComparison.Ordinal);
        Assert.True(site.Requests.Count(r => r.EndsWith(" /gone-b.html", StringComparison.Ordinal)) > checksOfB, "the re-check must request the link again");

        await store.ClaimAsync(b, "webmaster", "这次真的修好了", Ct);
        down = true;
        var whileDown = Assert.Single(await services.Get<Rechecks>().RecheckTargetAsync("4306260001", Ct));
        Assert.Equal((RecheckVerdict.Undecided, CorrectionState.Claimed), (whileDown.Verdict, whileDown.State));

        down = false;
        links.Clear();
        var afterFix = Assert.Single(await services.Get<Rechecks>().RecheckTargetAsync("4306260001", Ct));
        Assert.Equal(CorrectionState.Verified, afterFix.State);
        Assert.Empty(await store.TargetsWithOpenAsync(Ct));
        Assert.Equal(
            [CorrectionState.Found, CorrectionState.Claimed, CorrectionState.Reopened, CorrectionState.Claimed, CorrectionState.Verified],
            (await store.HistoryAsync(b, Ct)).Select(e => e.State));
        // Nothing of the re-checks was written into the round.
        Assert.Equal(2, (await services.Get<FindingStore>().ForRoundAsync("2026Q4", Ct)).Count(f => f.Finding.Check == "dead-link"));
    }

    [Fact]
    public async Task RecheckTargetAsync_VerifiesASleepingAccountThatPostedAgain_AndConcludesNothingWhileItsFeedIsDown()
    {
        var now = TimeProvider.System.GetUtcNow();
        var newest = now.AddDays(-30);
        var feedDown = false;
        await using var feeds = await FakeSite.StartAsync(s => s.Handle("/sleepy.xml", async c =>
        {
            if (feedDown)
            {
                c.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            c.Response.ContentType = "application/rss+xml; charset=utf-8";
            await c.Response.WriteAsync($"""
                <?xml version="1.0" encoding="utf-8"?>
                <rss version="2.0"><channel><title>临江卫健</title><link>http://feeds.linjiang.gov.cn/</link><description>d</description>
                <item><title>工作动态</title><link>http://feeds.linjiang.gov.cn/a/1.html</link><pubDate>{newest.ToString("r", CultureInfo.InvariantCulture)}</pubDate><description>正文</description></item>
                </channel></rss>
                """);
        }));
        await using var services = await new TestServices(new Dictionary<string, string?> { ["Network:ConnectTo:feeds.linjiang.gov.cn"] = feeds.EndPoint }).MigrateAsync();
        await services.Get<TargetStore>().UpsertAsync([new Target
        {
            Id = "rss:sleepy", Kind = TargetKind.Account, Name = "临江卫健", Url = "http://feeds.linjiang.gov.cn/sleepy.xml", Platform = "rss",
            Organization = "临江县卫健局", Region = "临江县",
        }], dryRun: false, Ct);
        var runner = services.Get<RoundRunner>();
        var round = await runner.PrepareAsync(new RoundRequest { All = true, Kind = TargetKind.Account, AsOf = now.ToOffset(TimeSpan.FromHours(8)) }, Ct);
        Assert.True(await runner.RunAsync(round, progress: null, Ct));
        var store = services.Get<CorrectionStore>();
        var sleeping = Assert.Single(await store.ListAsync(openOnly: true, Ct));
        Assert.Equal("sleeping-account", sleeping.Finding.Check);
        await store.ClaimAsync(sleeping.FindingId, "webmaster", "已恢复更新", Ct);

        feedDown = true;
        var whileDown = Assert.Single(await services.Get<Rechecks>().RecheckTargetAsync("rss:sleepy", Ct));
        Assert.Equal((RecheckVerdict.Undecided, CorrectionState.Claimed), (whileDown.Verdict, whileDown.State));

        feedDown = false;
        newest = now.AddHours(-2);
        var afterPost = Assert.Single(await services.Get<Rechecks>().RecheckTargetAsync("rss:sleepy", Ct));
        Assert.Equal((RecheckVerdict.Gone, CorrectionState.Verified), (afterPost.Verdict, afterPost.State));
    }

    [Fact]
    public void Judge_ConcludesNothing_WhenTheCheckCouldNotDecideThisTime()
    {
        var finding = new Finding
        {
            Check = "dead-link", Severity = Severity.Deduct, Url = "http://www.x.gov.cn/", Subject = "http://www.x.gov.cn/a.pdf", Detail = "HTTP 404",
            ObservedAt = DateTimeOffset.UnixEpoch,
        };
        var throttled = finding with { Check = "not-checked", Severity = Severity.Notice, Detail = "the server answered 429 every time" };
        var page = new PageRecord("http://www.x.gov.cn/", 0, nameof(FetchState.Ok), 200, "text/html", 100, 5);
        var target = TargetInspectorTests.Target();

        Assert.Equal(RecheckVerdict.Undecided, Rechecks.Judge(finding, target, new Inspection([throttled], [page], null)).Verdict);
        Assert.Equal(RecheckVerdict.Gone, Rechecks.Judge(finding, target, new Inspection([], [page], null)).Verdict);
        Assert.Equal(RecheckVerdict.Undecided, Rechecks.Judge(finding, target, new Inspection([], [page with { State = nameof(FetchState.HttpError) }], null)).Verdict);
        Assert.Equal(RecheckVerdict.Undecided, Rechecks.Judge(finding, target with { Kind = TargetKind.Account }, new Inspection([], [], null)).Verdict);
    }
}
