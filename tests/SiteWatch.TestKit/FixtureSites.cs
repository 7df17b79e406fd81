using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SiteWatch.TestKit;

/// <summary>
/// A county government website with one of every kind of dead link and every trap that must NOT be
/// reported, plus the "external" sites it links to. Hosts are realistic names mapped to loopback with
/// <c>Network:ConnectTo</c>. <see cref="ExpectedDeadLinks"/> is the exact answer a correct inspection gives.
/// </summary>
public sealed class FixtureSites : IAsyncDisposable
{
    public const string Host = "www.linjiang.gov.cn";
    public const string Home = "http://www.linjiang.gov.cn/";
    public const string ExternalHost = "www.gov.cn";
    public const string RefusedHost = "old.linjiang.gov.cn";
    public const string TlsHost = "secure.linjiang.gov.cn";

    private FixtureSites(FakeSite site, FakeSite external, int closedPort)
    {
        Site = site;
        External = external;
        ClosedPort = closedPort;
    }

    public FakeSite Site { get; }
    public FakeSite External { get; }
    public int ClosedPort { get; }

    /// <summary>Every link on the fixture that a visitor cannot load, with the start of the detail the check must give.</summary>
    public static IReadOnlyDictionary<string, string> ExpectedDeadLinks { get; } = new Dictionary<string, string>
    {
        ["http://www.linjiang.gov.cn/sjkf/index.html"] = "HTTP 404; link, on this site, on the home page",
        ["http://www.linjiang.gov.cn/images/banner-2025.jpg"] = "HTTP 404; image, on this site, on the home page",
        ["http://www.linjiang.gov.cn/attach/2026/zcjd_missing.pdf"] = "HTTP 404; link, on this site",
        ["http://www.linjiang.gov.cn/css/old.css"] = "HTTP 404; stylesheet, on this site",
        ["http://www.linjiang.gov.cn/js/gone.js"] = "HTTP 410; script, on this site",
        ["http://www.linjiang.gov.cn/images/lost-2x.png"] = "HTTP 404; image, on this site",
        ["http://www.linjiang.gov.cn/static/zt/banner.png"] = "HTTP 404; image, on this site",
        ["http://www.linjiang.gov.cn/zwgk/%E5%B7%B2%E5%88%A0%E9%99%A4.html"] = "HTTP 404; link, on this site",
        ["http://www.gov.cn/zhengce/gone.htm"] = "HTTP 404; link, external",
        ["http://www.xinxigang.invalid/"] = "DNS: host name not found; link, external",
        ["http://old.linjiang.gov.cn/"] = "connection refused; link, external",
        ["https://secure.linjiang.gov.cn/"] = "TLS",
        ["http://www.linjiang.gov.cn/old/loop-a.htm"] = "redirect loop: http://www.linjiang.gov.cn/old/loop-a.htm → http://www.linjiang.gov.cn/old/loop-b.htm → http://www.linjiang.gov.cn/old/loop-a.htm; link, on this site",
        ["http://www.linjiang.gov.cn/old/moved.htm"] = "HTTP 404 after redirects http://www.linjiang.gov.cn/old/moved.htm → http://www.linjiang.gov.cn/new/moved.html → http://www.linjiang.gov.cn/xxgk/removed.html; link, on this site",
        ["http://www.linjiang.gov.cn/zt/special.html"] = "soft 404: HTTP 200 but the page says “页面不存在”; link, on this site",
        ["http://www.linjiang.gov.cn/tjbb/report.html"] = "timeout: no answer within",
        ["http://www.linjiang.gov.cn/frame/gone.html"] = "HTTP 404; frame, on this site",
    };

    /// <summary>
    /// Configuration that maps the fixture's host names to loopback and keeps a slow page under the timeout. The
    /// county's own hosts resolve (DnsOverrides) to an address the test country database places in China, so
    /// overseas-host judges them without a DNS query; connections still go to loopback (ConnectTo wins).
    /// </summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [$"Network:ConnectTo:{Host}"] = Site.EndPoint,
        [$"Network:DnsOverrides:{Host}"] = TestGeo.China,
        [$"Network:DnsOverrides:{TlsHost}"] = TestGeo.China,
        [$"Network:ConnectTo:{ExternalHost}"] = External.EndPoint,
        [$"Network:ConnectTo:{RefusedHost}"] = $"127.0.0.1:{ClosedPort}",
        [$"Network:ConnectTo:{TlsHost}"] = Site.EndPoint,
        ["Crawler:RequestTimeoutSeconds"] = "8",
        ["Crawler:MaxQueryVariantsPerPath"] = "5",
    };

    public static async Task<FixtureSites> StartAsync()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var external = await FakeSite.StartAsync(s => s
            .Page("/", Html("中国政府网", "<p>国务院</p>"))
            .Page("/zhengce/index.htm", Html("政策", "<p>最新政策</p>"))
            .HeadRefused("/dl/guide.pdf", 403));
        var site = await FakeSite.StartAsync(Build);
        return new FixtureSites(site, external, FindClosedPort());
    }

    public async ValueTask DisposeAsync()
    {
        await Site.DisposeAsync();
        await External.DisposeAsync();
    }

    private static void Build(FakeSiteBuilder s)
    {
        var nav = """
            <ul class="nav"><li><a href="/">首页</a></li><li><a href="/col/ywdt/index.html">要闻动态</a></li>
            <li><a href="/col/tzgg/index.html">通知公告</a></li><li><a href="/sjkf/index.html">数据开放</a></li>
            <li><a href="javascript:void(0)">加入收藏</a></li><li><a href="mailto:xxgk@linjiang.gov.cn">来信</a></li>
            <li><a href="tel:12345">12345</a></li><li><a href="/calendar?month=2026-11">办事日历</a></li></ul>
            """;
        var footer = """
            <div class="footer"><a href="http://www.gov.cn/">中国政府网</a> <a href="http://old.linjiang.gov.cn/">原信息港</a>
            <a href="http://www.xinxigang.invalid/">县信息港（已停办）</a> <a href="https://secure.linjiang.gov.cn/">网上办事</a>
            <p>网站标识码：4306260001 湘ICP备05001234号 湘公网安备 43062602000123号</p>
            <a href="http://www.gov.cn/"><img src="/images/logo.png" alt="党政机关"></a></div>
            """;

        s.Page("/", Html("临江县人民政府", nav + """
            <div class="banner"><img src="/images/logo.png" alt="logo"><img src="/images/banner-2025.jpg" alt="banner"></div>
            <div class="news"><h3>要闻动态</h3><ul><li><a href="/art/2026/11/20/art_1.html">临江县召开安全生产专项整治工作会议</a><span>2026-11-20</span></li>
            <li><a href="/art/2026/11/18/art_2.html">关于开展2026年度政务公开工作的通知</a><span>2026-11-18</span></li></ul></div>
            """ + footer));
        s.Raw("/images/logo.png", [0x89, 0x50, 0x4E, 0x47], "image/png");
        s.Page("/col/ywdt/index.html", Html("要闻动态", nav + """
            <ul><li><a href="/art/2026/11/20/art_1.html">临江县召开安全生产专项整治工作会议</a><span>2026-11-20</span></li>
            <li><a href="/old/news-1.htm">（旧版链接）优化营商环境三年行动方案</a><span>2026-11-12</span></li>
            <li><a href="/old/moved.htm">（已迁移）乡村振兴重点任务</a><span>2026-11-05</span></li>
            <li><a href="/old/loop-a.htm">（循环跳转）数字政府建设</a><span>2026-10-28</span></li></ul>
            """ + footer));

        // The GBK column: an older CMS whose pages are GB2312 with a meta tag only.
        s.Raw("/col/tzgg/index.html", Encoding.GetEncoding("GBK").GetBytes(Html("通知公告", nav + """
            <ul><li><a href="/art/2026/11/18/art_2.html">关于开展2026年度政务公开工作的通知</a>[2026-11-18]</li>
            <li><a href="/zwgk/已删除.html">关于调整部分行政事项的公告（已撤销）</a>[2026-09-30]</li>
            <li><a href="/zt/special.html">专题专栏</a>[2026-06-01]</li></ul>
            """ + footer, "gb2312")), "text/html");

        s.Page("/art/2026/11/20/art_1.html", Html("临江县召开安全生产专项整治工作会议", nav + """
            <div class="article"><h1>临江县召开安全生产专项整治工作会议</h1><p>会议强调，要坚持以人民为中心的发展思想。</p>
            <img src="/picture/2026/1.jpg" srcset="/picture/2026/1.jpg 1x, /images/lost-2x.png 2x" alt="会议现场">
            <ul class="attach"><li><a href="/attach/2026/zcjd.pdf">附件1：实施方案.pdf</a></li>
            <li><a href="/attach/2026/zcjd_missing.pdf">附件2：实施方案（修订稿）.pdf</a></li>
            <li><a href="/module/download/downfile.jsp?classid=0&amp;filename=guide.pdf">附件3：办事指南.pdf</a></li>
            <li><a href="http://www.gov.cn/dl/guide.pdf">国务院办事指南</a></li></ul>
            <p>来源：<a href="http://www.gov.cn/zhengce/index.htm">中国政府网</a>　<a href="http://www.gov.cn/zhengce/gone.htm">国务院相关政策（已撤销）</a></p>
            <p><a href="/tjbb/slow.html">统计报表系统（较慢）</a>　<a href="/tjbb/report.html">统计报表（无响应）</a></p>
            <iframe src="/frame/gone.html"></iframe><iframe src="/frame/video.html"></iframe></div>
            """ + footer));
        s.Raw("/picture/2026/1.jpg", [0xFF, 0xD8, 0xFF], "image/jpeg");
        s.File("/attach/2026/zcjd.pdf", "application/pdf");
        s.HeadRefused("/module/download/downfile.jsp", 405);
        s.Slow("/tjbb/slow.html", TimeSpan.FromSeconds(5));
        s.Slow("/tjbb/report.html", TimeSpan.FromSeconds(30));
        s.Page("/frame/video.html", Html("视频", "<p>视频</p>"));

        // base href: relative links on this page resolve against /static/zt/, not the page's own folder.
        s.Page("/art/2026/11/18/art_2.html", """
            <!DOCTYPE html><html><head><meta charset="utf-8"><base href="/static/zt/"><title>关于开展2026年度政务公开工作的通知</title>
            <link rel="stylesheet" href="/css/site.css"><link rel="stylesheet" href="/css/old.css"><script src="/js/gone.js"></script></head>
            <body><h1>关于开展2026年度政务公开工作的通知</h1><p>各乡镇人民政府，县直各单位：现将有关事项通知如下。</p>
            <img src="logo.png" alt="专题"><img src="banner.png" alt="专题横幅">
            <a href="list.html">专题列表</a> <a href="/downloads/form.xls">申请表</a></body></html>
            """);
        s.Page("/css/site.css", "body{margin:0}");
        s.Handle("/js/gone.js", c =>
        {
            c.Response.StatusCode = 410;
            return Task.CompletedTask;
        });
        s.Raw("/static/zt/logo.png", [0x89, 0x50], "image/png");
        s.Page("/static/zt/list.html", Html("专题列表", "<p>专题</p>"));
        s.ThrottledThenOk("/downloads/form.xls", times: 2, status: 429, retryAfterSeconds: 1, contentType: "application/vnd.ms-excel");

        s.Redirect("/old/news-1.htm", "/new/news-1.html", 301).Redirect("/new/news-1.html", "/art/2026/11/20/art_1.html", 302);
        s.Redirect("/old/moved.htm", "http://www.linjiang.gov.cn/new/moved.html", 301).Redirect("/new/moved.html", "/xxgk/removed.html", 302);
        s.Redirect("/old/loop-a.htm", "/old/loop-b.htm").Redirect("/old/loop-b.htm", "/old/loop-a.htm");

        // 200 with an error page: the CMS's "not found" template.
        s.Page("/zt/special.html", Html("页面不存在", "<div class=\"err\"><h1>404</h1><p>对不起，您访问的页面不存在或已被删除！</p><a href=\"/\">返回首页</a></div>"));

        // Calendar trap: every month links to the next one, forever.
        s.Handle("/calendar", async c =>
        {
            var month = DateOnly.ParseExact(c.Request.Query["month"].ToString() + "-01", "yyyy-MM-dd");
            var next = month.AddMonths(1).ToString("yyyy-MM");
            c.Response.ContentType = "text/html; charset=utf-8";
            await c.Response.WriteAsync(Html("办事日历", $"<p>{month:yyyy年M月}</p><a href=\"/calendar?month={next}\">下个月</a>"));
        });
    }

    private static string Html(string title, string body, string charset = "utf-8") =>
        $"<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{title}</title></head><body>{body}</body></html>";

    private static int FindClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
