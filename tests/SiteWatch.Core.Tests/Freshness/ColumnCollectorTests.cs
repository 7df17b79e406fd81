using SiteWatch.Core.Checks;
using SiteWatch.Core.Checks.BlankColumn;
using SiteWatch.Core.Checks.StaleColumn;
using SiteWatch.Core.Checks.StaleHomepage;
using SiteWatch.Core.Freshness;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Html;
using SiteWatch.TestKit;

namespace SiteWatch.Core.Tests.Freshness;

/// <summary>
/// Column discovery and the three freshness checks on fixture pages with a fixed as-of (2026-11-23 10:00 +08:00):
/// date formats, a year-heading list, a paginated column, a blank and a placeholder column, a hub page, and the
/// copyright-year and phone-number traps.
/// </summary>
public sealed class ColumnCollectorTests
{
    private const string Home = "http://www.linjiang.gov.cn/";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));

    private static readonly string Nav = """
        <ul class="nav"><li><a href="/col/ywdt/index.html">要闻动态</a></li><li><a href="/col/tzgg/index.html">通知公告</a></li>
        <li><a href="/col/zcwj/index.html">政策文件</a></li><li><a href="/col/rsxx/index.html">人事信息</a></li>
        <li><a href="/col/gzdt/index.html">工作动态</a></li><li><a href="/col/xzdt/index.html">乡镇动态</a></li>
        <li><a href="/col/hdjl/index.html">互动交流</a></li><li><a href="/col/zwgk/index.html">政务公开</a></li></ul>
        """;

    private static readonly string Footer = "<p>© 2006-2026 临江县人民政府 版权所有 电话：0731-84567890 邮编 410000 湘ICP备05001234号</p>";

    [Fact]
    public async Task CompleteAsync_FindsEachColumn_WithItsClassAndNewestItem()
    {
        var columns = await CollectAsync(SitePages());

        var byUrl = columns.Columns.ToDictionary(c => c.ListUrl);
        Assert.Equal(new DateOnly(2026, 11, 20), byUrl[Home + "col/ywdt/index.html"].Newest);
        Assert.Equal("要闻动态", byUrl[Home + "col/ywdt/index.html"].Name);
        Assert.Equal("news", byUrl[Home + "col/ywdt/index.html"].Class);
        Assert.Equal(2, byUrl[Home + "col/ywdt/index.html"].PagesRead);
        Assert.Equal(6, byUrl[Home + "col/ywdt/index.html"].DatedItems);
        Assert.Equal(new DateOnly(2026, 3, 2), byUrl[Home + "col/tzgg/index.html"].Newest);
        Assert.Equal("notice", byUrl[Home + "col/tzgg/index.html"].Class);
        Assert.Equal(new DateOnly(2026, 11, 2), byUrl[Home + "col/rsxx/index.html"].Newest); // 11-02 under a 2026年 heading
        Assert.True(byUrl[Home + "col/gzdt/index.html"].IsBlank);
        Assert.Equal("暂无信息", byUrl[Home + "col/xzdt/index.html"].Placeholder);
        Assert.Null(byUrl[Home + "col/hdjl/index.html"].Class); // interaction: recorded, not judged
        Assert.DoesNotContain(Home + "col/ywdt/index_1.html", byUrl.Keys); // a continuation page, not a column
        Assert.DoesNotContain(Home + "col/zwgk/index.html", byUrl.Keys); // a hub leading to columns
        Assert.DoesNotContain(Home + "art/2026/11/20/art_1.html", byUrl.Keys); // an article
        Assert.Equal(new DateOnly(2026, 11, 20), columns.Home!.Newest);
    }

    [Fact]
    public async Task Checks_ReportExactlyThePlantedStaleAndBlankColumns()
    {
        var columns = await CollectAsync(SitePages());
        var crawl = new SiteCrawl { HomeUrl = Home, HomeOutcome = FetchOutcome.Ok(200), Links = [], Columns = columns };

        var stale = Complete(new StaleColumnCheck(), crawl);
        var blank = Complete(new BlankColumnCheck(), crawl);
        var homepage = Complete(new StaleHomepageCheck(), crawl);

        var finding = Assert.Single(stale);
        Assert.Equal(Home + "col/tzgg/index.html", finding.Subject);
        Assert.Equal(Severity.Deduct, finding.Severity);
        Assert.Contains("栏目「通知公告」(通知公告/政策文件类, limit 183 days;", finding.Detail, StringComparison.Ordinal);
        Assert.EndsWith("newest item 2026-03-02, 266 days before 2026-11-23", finding.Detail, StringComparison.Ordinal);
        Assert.Equal(new[] { Home + "col/gzdt/index.html", Home + "col/xzdt/index.html" }, blank.Select(f => f.Subject).Order(StringComparer.Ordinal));
        Assert.Contains(blank, f => f.Detail == "栏目「乡镇动态」: only the placeholder “暂无信息”");
        Assert.Empty(homepage);
    }

    [Fact]
    public async Task StaleHomepage_IsAVeto_WhenTheNewestItemIsOlderThan14Days_OrNothingIsDated()
    {
        var old = await CollectAsync([(Home, $"{Nav}<ul><li><a href='/a1.html'>通知</a><span>2026-11-08</span></li></ul>{Footer}")]);
        var undated = await CollectAsync([(Home, $"{Nav}<ul><li><a href='/a1.html'>关于开展工作的通知</a></li></ul>{Footer}")]);
        var fresh = await CollectAsync([(Home, $"{Nav}<ul><li><a href='/a1.html'>通知</a><span>2026-11-09</span></li></ul>{Footer}")]);

        var finding = Assert.Single(Complete(new StaleHomepageCheck(), Crawl(old)));
        Assert.Equal(Severity.Veto, finding.Severity);
        Assert.Equal("newest dated item on the home page is 2026-11-08, 15 days before 2026-11-23; limit 14 days (1 dated items)", finding.Detail);
        Assert.StartsWith("no dated item on the home page", Assert.Single(Complete(new StaleHomepageCheck(), Crawl(undated))).Detail, StringComparison.Ordinal);
        Assert.Empty(Complete(new StaleHomepageCheck(), Crawl(fresh)));
    }

    [Fact]
    public async Task StaleColumn_BecomesAVeto_WhenFiveNewsOrNoticeColumnsAreStale()
    {
        var pages = new List<(string, string)> { (Home, Nav + "<p>2026-11-20</p>") };
        for (var i = 0; i < 5; i++)
        {
            pages.Add((Home + $"col/dt{i}/index.html", $"<title>部门动态{i}_临江县</title>{List(new DateOnly(2026, 10, 1), 4)}"));
        }

        var findings = Complete(new StaleColumnCheck(), Crawl(await CollectAsync(pages)));

        Assert.Equal(5, findings.Count);
        Assert.All(findings, f => Assert.Equal(Severity.Veto, f.Severity));
        Assert.All(findings, f => Assert.EndsWith("5 stale columns on the site (5 news/notice): veto", f.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteAsync_RendersAScriptBuiltColumn_AndJudgesWhatTheBrowserShows()
    {
        var pages = new List<(string, string)>
        {
            (Home, Nav + "<p>2026-11-20</p>"),
            (Home + "col/ywdt/index.html", "<title>要闻动态</title><ul id='list'></ul><script src='/js/list.js'></script>"),
            (Home + "col/gzdt/index.html", "<title>工作动态</title><div id='list'></div><script>load()</script>"),
        };
        var renderer = new PagesByUrl(new Dictionary<string, string>
        {
            [Home + "col/ywdt/index.html"] = $"<html><body>{List(new DateOnly(2026, 11, 19), 5)}</body></html>",
            [Home + "col/gzdt/index.html"] = "<html><body><div id='list'></div></body></html>",
        });

        var columns = (await CollectAsync(pages, renderer)).Columns.ToDictionary(c => c.ListUrl);

        Assert.True(columns[Home + "col/ywdt/index.html"].Rendered);
        Assert.Equal(new DateOnly(2026, 11, 19), columns[Home + "col/ywdt/index.html"].Newest);
        Assert.False(columns[Home + "col/ywdt/index.html"].IsBlank);
        Assert.True(columns[Home + "col/gzdt/index.html"].Rendered);
        Assert.True(columns[Home + "col/gzdt/index.html"].IsBlank);
    }

    [Fact]
    public async Task CompleteAsync_AppliesATargetsClassOverride()
    {
        var rules = ShippedRules.Value.Columns with
        {
            Overrides = [new SiteWatch.Core.Rules.ColumnOverride("4306260001", null, "通知公告", "yearly")],
        };

        var columns = await CollectAsync(SitePages(), rules: rules);

        Assert.Equal("yearly", columns.Columns.Single(c => c.Name == "通知公告").Class);
    }

    private static List<(string Url, string Html)> SitePages() =>
    [
        (Home, $"{Nav}<div class='news'><ul><li><a href='/art/2026/11/20/art_1.html'>县政府召开常务会议</a><span>[2026-11-20]</span></li>" +
               $"<li><a href='/art/2026/11/18/art_2.html'>全县秋冬种工作推进会</a><span>2026/11/18</span></li></ul></div>{Footer}"),
        (Home + "col/ywdt/index.html", $"<title>要闻动态_临江县人民政府</title>{Nav}{List(new DateOnly(2026, 11, 20), 3)}" +
               "<div class='page'><a href='/col/ywdt/index_1.html'>下一页</a></div>" + Footer),
        (Home + "col/ywdt/index_1.html", $"<title>要闻动态_临江县人民政府</title>{Nav}{List(new DateOnly(2026, 11, 5), 3)}{Footer}"),
        (Home + "col/tzgg/index.html", $"<title>通知公告</title>{Nav}<table><tbody>" +
               "<tr><td><a href='/t1.html'>关于春节放假的通知</a></td><td>2026年3月2日</td></tr>" +
               "<tr><td><a href='/t2.html'>关于征求意见的公告</a></td><td>2026年1月15日</td></tr>" +
               "<tr><td><a href='/t3.html'>招聘公告</a></td><td>2025.12.30</td></tr></tbody></table>" + Footer),
        (Home + "col/rsxx/index.html", $"<title>人事信息</title>{Nav}<h3>2026年</h3><ul>" +
               "<li><a href='/r1.html'>任免通知</a> 11-02</li><li><a href='/r2.html'>干部公示</a> 08-16</li><li><a href='/r3.html'>任职公示</a> 03-01</li></ul>" + Footer),
        (Home + "col/gzdt/index.html", $"<title>工作动态</title>{Nav}<ul class='list'></ul>{Footer}"),
        (Home + "col/xzdt/index.html", $"<title>乡镇动态</title>{Nav}<div class='list'>暂无信息</div>{Footer}"),
        (Home + "col/hdjl/index.html", $"<title>互动交流</title>{Nav}{List(new DateOnly(2025, 1, 1), 3)}{Footer}"),
        (Home + "col/zwgk/index.html", $"<title>政务公开</title>{Nav}<ul><li><a href='/col/tzgg/index.html'>通知公告</a></li><li><a href='/col/zcwj/index.html'>政策文件</a></li><li><a href='/col/rsxx/index.html'>人事信息</a></li></ul>{Footer}"),
        (Home + "art/2026/11/20/art_1.html", "<head><meta name='PubDate' content='2026-11-20 09:00'></head><title>县政府召开常务会议</title><p>发布时间：2026-11-20</p>" + Footer),
    ];

    private static string List(DateOnly newest, int count) =>
        "<ul class='list'>" + string.Concat(Enumerable.Range(0, count).Select(i =>
            $"<li><a href='/art/{newest.AddDays(-i):yyyyMMdd}_{i}.html'>标题{i}</a><span>{newest.AddDays(-i):yyyy-MM-dd}</span></li>")) + "</ul>";

    private static async Task<SiteColumns> CollectAsync(IEnumerable<(string Url, string Html)> pages, IPageRenderer? renderer = null,
        SiteWatch.Core.Rules.ColumnRules? rules = null)
    {
        var target = new Target
        {
            Id = "4306260001", Kind = TargetKind.Website, Name = "临江县人民政府", Url = Home, Organization = "临江县人民政府办公室",
            Region = "临江县", SiteCode = "4306260001",
        };
        var collector = new ColumnCollector(rules ?? ShippedRules.Value.Columns, target, AsOf);
        foreach (var (url, html) in pages)
        {
            using var document = HtmlDocuments.Parse($"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{html}</body></html>");
            collector.OnPage(new CrawledPage
            {
                Url = url, Depth = url == Home ? 0 : 1, IsHomePage = url == Home, Outcome = FetchOutcome.Ok(200), Document = document,
                Links = LinkExtractor.Extract(document, new Uri(url)),
            });
        }

        return await collector.CompleteAsync(renderer, CancellationToken.None);
    }

    private static SiteCrawl Crawl(SiteColumns columns) => new() { HomeUrl = Home, HomeOutcome = FetchOutcome.Ok(200), Links = [], Columns = columns };

    private static List<Finding> Complete(ICheck check, SiteCrawl crawl)
    {
        var round = new Round { Id = "2026Q4", Kind = TargetKind.Website, AsOf = AsOf, SampleFraction = 1, Seed = 1, Status = RoundStatus.Running, CreatedAt = AsOf };
        var target = new Target { Id = "4306260001", Kind = TargetKind.Website, Name = "临江县人民政府", Url = Home, Organization = "x", Region = "临江县" };
        return check.Begin(new CheckContext(target, round, ShippedRules.Value)).Complete(crawl).Findings.ToList();
    }

    /// <summary>A browser stand-in for the unit test: the DOM a browser would have produced, by URL.</summary>
    private sealed class PagesByUrl(Dictionary<string, string> pages) : IPageRenderer
    {
        public Task<RenderedPage> RenderAsync(string url, CancellationToken ct) =>
            Task.FromResult(new RenderedPage(url, pages.GetValueOrDefault(url), pages.ContainsKey(url) ? null : "not rendered"));
    }
}
