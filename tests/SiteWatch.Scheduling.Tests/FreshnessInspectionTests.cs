using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.TestKit;

namespace SiteWatch.Scheduling.Tests;

/// <summary>
/// Columns end to end through the crawler and real Chromium: a GBK list with 年月日 dates and a continuation page,
/// a stale notice column, a list built by fetch() from JSON, a scripted page that stays blank, a placeholder
/// column, a hub and an interaction column — judged from a fixed as-of.
/// </summary>
public sealed class FreshnessInspectionTests
{
    private const string Host = "www.linjiang.gov.cn";
    private const string Home = $"http://{Host}/";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));

    private const string Nav = """
        <ul class="nav"><li><a href="/">首页</a></li><li><a href="/col/ywdt/index.html">要闻动态</a></li><li><a href="/col/tzgg/index.html">通知公告</a></li>
        <li><a href="/col/gzdt/index.html">工作动态</a></li><li><a href="/col/xzdt/index.html">乡镇动态</a></li><li><a href="/col/bmdt/index.html">部门动态</a></li>
        <li><a href="/col/zxft/index.html">在线访谈</a></li></ul>
        """;

    private const string Footer = "<p>© 2006-2026 临江县人民政府 电话：0731-84567890 网站标识码：4306260001 湘ICP备05001234号 湘公网安备 43062602000123号</p><img alt=\"党政机关\" src=\"/b.png\">";

    [Fact]
    public async Task Inspect_FindsTheColumns_AndReportsExactlyTheStaleAndBlankOnes()
    {
        await using var site = await FakeSite.StartAsync(s => s
            .Page("/", Page("临江县人民政府", "<div class='yw'><ul><li><a href='/art/1.html'>县政府召开常务会议</a><span>11-20</span></li></ul></div><h4>2026年</h4>"))
            .Page("/col/ywdt/index.html", Page("要闻动态", """
                <ul class="list"><li><a href="/art/1.html">县政府召开常务会议</a><span>2026年11月20日</span></li>
                <li><a href="/art/2.html">全县秋冬种工作推进会召开</a><span>2026年11月16日</span></li>
                <li><a href="/art/3.html">县领导调研重点项目建设</a><span>2026年11月9日</span></li></ul>
                <div class="page"><a href="/col/ywdt/index_1.html">下一页</a></div>
                """), "gbk")
            .Page("/col/ywdt/index_1.html", Page("要闻动态", """
                <ul class="list"><li><a href="/art/4.html">第3期政务公开培训班开班</a><span>2026年10月30日</span></li>
                <li><a href="/art/5.html">县政府与高校签订合作协议</a><span>2026年10月21日</span></li>
                <li><a href="/art/6.html">临江县开展消防安全检查</a><span>2026年10月12日</span></li></ul>
                """), "gbk")
            .Page("/col/tzgg/index.html", Page("通知公告", """
                <table><tr><td><a href="/t/1.html">关于春节放假安排的通知</a></td><td>2026/03/02</td></tr>
                <tr><td><a href="/t/2.html">关于公开征求意见的公告</a></td><td>2026/01/15</td></tr>
                <tr><td><a href="/t/3.html">关于调整办公时间的通知</a></td><td>2025/12/30</td></tr></table>
                """))
            .Page("/col/gzdt/index.html", Page("工作动态", """
                <ul class="list" id="list"></ul>
                <script>fetch('/api/gzdt.json').then(r => r.json()).then(items => {
                  document.getElementById('list').innerHTML = items.map(i => `<li><a href="${i.url}">${i.title}</a><span>${i.date}</span></li>`).join('');
                });</script>
                """))
            .Raw("/api/gzdt.json", System.Text.Encoding.UTF8.GetBytes("""
                [{"url":"/art/7.html","title":"县发改局召开工作会议","date":"2026-11-18"},{"url":"/art/8.html","title":"县财政局开展业务培训","date":"2026-11-11"},
                 {"url":"/art/9.html","title":"县人社局举办招聘会","date":"2026-11-02"}]
                """), "application/json")
            .Page("/col/xzdt/index.html", Page("乡镇动态", "<div class=\"list\" id=\"xz\"></div><script>var page = 1;</script>"))
            .Page("/col/bmdt/index.html", Page("部门动态", "<div class=\"list\">暂无信息</div>"))
            .Page("/col/zxft/index.html", Page("在线访谈", "<ul><li><a href='/ft/1.html'>县长在线访谈</a> 2025-01-10</li><li><a href='/ft/2.html'>局长访谈</a> 2024-12-01</li><li><a href='/ft/3.html'>专题访谈</a> 2024-06-01</li></ul>"))
            .Raw("/b.png", [0x89, 0x50], "image/png"));
        await using var services = new TestServices(new Dictionary<string, string?> { [$"Network:ConnectTo:{Host}"] = site.EndPoint });
        var target = TargetInspectorTests.Target() with { Url = Home };
        var round = TargetInspectorTests.Round() with { AsOf = AsOf };

        var inspection = await services.Get<TargetInspector>().InspectAsync(target, round, CancellationToken.None);

        var columns = inspection.Columns.ToDictionary(c => c.ListUrl);
        Assert.Equal(
            new[] { "bmdt", "gzdt", "tzgg", "xzdt", "ywdt", "zxft" }.Select(c => $"{Home}col/{c}/index.html"),
            columns.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((new DateOnly(2026, 11, 20), 6, 2, "news"), (columns[$"{Home}col/ywdt/index.html"].Newest!.Value, columns[$"{Home}col/ywdt/index.html"].DatedItems, columns[$"{Home}col/ywdt/index.html"].PagesRead, columns[$"{Home}col/ywdt/index.html"].Class!));
        Assert.True(columns[$"{Home}col/gzdt/index.html"].Rendered);
        Assert.Equal(new DateOnly(2026, 11, 18), columns[$"{Home}col/gzdt/index.html"].Newest);
        Assert.Null(columns[$"{Home}col/zxft/index.html"].Class);

        var judged = inspection.Findings.Where(f => f.Check is "stale-homepage" or "stale-column" or "blank-column")
            .Select(f => $"{f.Check} {f.Subject}").Order(StringComparer.Ordinal);
        Assert.Equal(
            new[] { $"blank-column {Home}col/bmdt/index.html", $"blank-column {Home}col/xzdt/index.html", $"stale-column {Home}col/tzgg/index.html" },
            judged);
        Assert.Equal("栏目「乡镇动态」: no items; rendered in a browser, still blank", inspection.Findings.Single(f => f.Subject == $"{Home}col/xzdt/index.html").Detail);
        Assert.Equal(1, site.CountOf("GET /api/gzdt.json"));
    }

    private static string Page(string title, string body) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}_临江县人民政府</title></head><body>{Nav}{body}{Footer}</body></html>";
}
