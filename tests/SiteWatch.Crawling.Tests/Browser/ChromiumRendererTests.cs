using Microsoft.AspNetCore.Http;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Browser;
using SiteWatch.TestKit;

namespace SiteWatch.Crawling.Tests.Browser;

/// <summary>
/// One Chromium for the class (Debian's, see tests/setup.sh). The government site and www.example.com are fixture sites on
/// loopback reached through Network:ConnectTo; the URLs keep port 80, so a page that loads proves the port was mapped too.
/// </summary>
public sealed class ChromiumRendererTests(ChromiumRendererTests.Fixture fixture) : IClassFixture<ChromiumRendererTests.Fixture>
{
    private const string Host = "www.linjiang.gov.cn";
    private const string OutsideHost = "www.example.com";
    private const string SecureHost = "zwfw.linjiang.gov.cn";

    [Fact]
    public async Task RenderAsync_SeesItems_BuiltByAnInlineScript()
    {
        var page = await fixture.Renderer.RenderAsync($"http://{Host}/script-list.html", CancellationToken.None);

        AssertRendered(page);
        Assert.Contains("<li>通知公告一</li>", page.Html);
        Assert.Contains("<a href=\"/xxgk/2.html\">政务公开二</a>", page.Html);
    }

    [Fact]
    public async Task RenderAsync_SeesItems_LoadedByFetchAndXhr()
    {
        var page = await fixture.Renderer.RenderAsync($"http://{Host}/xhr-list.html", CancellationToken.None);

        AssertRendered(page);
        Assert.Contains("关于开展2026年度政府网站检查的通知", page.Html);
        Assert.Contains("临江县人民政府工作报告", page.Html);
        Assert.Contains("来自XHR的栏目", page.Html);
        Assert.Contains("GET /api/news.json", fixture.Site.Requests);
        Assert.Contains("GET /api/column.json", fixture.Site.Requests);
    }

    [Fact]
    public async Task RenderAsync_ReturnsTheEmptyPage_WhenScriptsAddNothing()
    {
        var page = await fixture.Renderer.RenderAsync($"http://{Host}/blank.html", CancellationToken.None);

        AssertRendered(page);
        Assert.Contains("<ul id=\"list\"></ul>", page.Html);
        Assert.DoesNotContain("<li", page.Html);
    }

    [Fact]
    public async Task RenderAsync_SaysHttp404_WhenTheDocumentIsMissing()
    {
        var page = await fixture.Renderer.RenderAsync($"http://{Host}/no-such-page.html", CancellationToken.None);

        Assert.Equal("HTTP 404", page.Error);
        Assert.Null(page.Html);
    }

    [Fact]
    public async Task RenderAsync_GoesWhereConnectToSays_AndBlocksImagesMediaAndFonts()
    {
        var page = await fixture.Renderer.RenderAsync($"http://{Host}/connect.html", CancellationToken.None);

        AssertRendered(page);
        Assert.Contains("<p id=\"ran\">script ran</p>", page.Html); // /app.js came through the mapping too
        Assert.Contains("GET /connect.html", fixture.Site.Requests);
        Assert.Contains("GET /app.js", fixture.Site.Requests);
        Assert.Equal($"{Host}", fixture.HostHeaders["/connect.html"]);
        Assert.Contains("SiteWatch/", fixture.UserAgents["/connect.html"]);
        Assert.Contains("https://sitewatch.example.gov.cn/about", fixture.UserAgents["/connect.html"]);
        Assert.DoesNotContain(fixture.Site.Requests, r => r.StartsWith("GET /logo.png", StringComparison.Ordinal) || r.StartsWith("GET /font.woff2", StringComparison.Ordinal));
        Assert.Empty(fixture.Outside.Requests); // the image on www.example.com was never requested
    }

    [Fact]
    public async Task RenderAsync_ReachesAnHttpsSite_ThroughConnectTo_WhateverItsCertificate()
    {
        var page = await fixture.Renderer.RenderAsync($"https://{SecureHost}/index.html", CancellationToken.None);

        AssertRendered(page);
        Assert.Contains("<li>办事指南</li>", page.Html);
        Assert.Contains("GET /index.html", fixture.Secure.Requests);
    }

    [Fact]
    public async Task RenderAsync_RefusesPrivateAddresses_WhenTheGuardIsOn()
    {
        await using var services = new TestServices(new Dictionary<string, string?>
        {
            [$"Network:ConnectTo:{Host}"] = fixture.Site.EndPoint,
            ["Network:AllowPrivateAddresses"] = "false",
        });
        var before = fixture.Site.Requests.Count(r => r == "GET /blank.html");

        var page = await services.Get<IPageRenderer>().RenderAsync($"http://{Host}/blank.html", CancellationToken.None);

        Assert.Null(page.Html);
        Assert.StartsWith($"blocked: {Host} resolves to 127.0.0.1", page.Error);
        Assert.Equal(before, fixture.Site.Requests.Count(r => r == "GET /blank.html"));
    }

    [Fact]
    public async Task RenderAsync_SaysHowToInstall_WhenTheExecutableIsMissing()
    {
        await using var services = new TestServices(new Dictionary<string, string?> { ["Browser:ExecutablePath"] = "/nonexistent/chromium" });
        var renderer = services.Get<IPageRenderer>();

        var first = await renderer.RenderAsync($"http://{Host}/script-list.html", CancellationToken.None);
        var second = await renderer.RenderAsync($"http://{Host}/blank.html", CancellationToken.None);

        Assert.Equal("browser not available: /nonexistent/chromium not found; install chromium (apt-get install -y chromium fonts-noto-cjk) or set Browser:ExecutablePath", first.Error);
        Assert.Null(first.Html);
        Assert.Equal(first.Error, second.Error);
    }

    [Fact]
    public async Task RenderAsync_RendersAtMostMaxPagesAtOnce_AndAllComplete()
    {
        var urls = Enumerable.Range(1, 4).Select(i => $"http://{Host}/slow.html?n={i}").ToArray();

        var pages = await Task.WhenAll(urls.Select(u => fixture.Renderer.RenderAsync(u, CancellationToken.None)));

        Assert.All(pages, AssertRendered);
        Assert.All(pages, p => Assert.Contains($"<li>slow item {p.Url[^1]}</li>", p.Html));
        Assert.Equal(4, fixture.Site.Requests.Count(r => r.StartsWith("GET /slow.html", StringComparison.Ordinal)));
        Assert.InRange(fixture.MaxSlowInFlight, 1, 2); // "at most": on a loaded machine the renders may not overlap at all
    }

    [Fact]
    public async Task RenderAsync_Throws_WhenCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Renderer.RenderAsync($"http://{Host}/hang.html", cts.Token));
    }

    [Fact]
    public void HostResolverRules_MapsConnectToWithPort_AndDnsOverridesToTheirFirstAddress()
    {
        var network = new NetworkOptions();
        network.ConnectTo["www.a.gov.cn"] = "127.0.0.1:8080";
        network.DnsOverrides["www.b.gov.cn"] = "203.0.113.7, 198.51.100.1";
        network.DnsOverrides["www.c.gov.cn"] = "2001:db8::1";

        var rules = ChromiumRenderer.HostResolverRules(network);

        Assert.Equal("--host-resolver-rules=MAP www.a.gov.cn 127.0.0.1:8080, MAP www.b.gov.cn 203.0.113.7, MAP www.c.gov.cn [2001:db8::1]", rules);
        Assert.Null(ChromiumRenderer.HostResolverRules(new NetworkOptions()));
    }

    private static void AssertRendered(RenderedPage page)
    {
        Assert.True(page.Error is null, $"{page.Url}: {page.Error}");
        Assert.NotNull(page.Html);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private int slowInFlight;
        private int maxSlowInFlight;

        public FakeSite Site { get; private set; } = null!;

        public FakeSite Outside { get; private set; } = null!;

        public FakeSite Secure { get; private set; } = null!;

        public TestServices Services { get; private set; } = null!;

        public IPageRenderer Renderer { get; private set; } = null!;

        public Dictionary<string, string> UserAgents { get; } = [];

        public Dictionary<string, string> HostHeaders { get; } = [];

        public int MaxSlowInFlight => Volatile.Read(ref maxSlowInFlight);

        public async Task InitializeAsync()
        {
            Site = await FakeSite.StartAsync(s => s
                .Page("/script-list.html", """
                    <!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title></head><body>
                    <ul id="list"></ul>
                    <div id="more"></div>
                    <script>
                      var li = document.createElement('li'); li.textContent = '通知公告一';
                      document.getElementById('list').appendChild(li);
                      document.getElementById('more').innerHTML = '<a href="/xxgk/2.html">政务公开二</a>';
                    </script></body></html>
                    """)
                .Page("/xhr-list.html", """
                    <!DOCTYPE html><html><head><meta charset="utf-8"><title>新闻</title></head><body>
                    <ul id="news"></ul><ul id="column"></ul>
                    <script>
                      fetch('/api/news.json').then(r => r.json()).then(items => {
                        for (const it of items) {
                          const li = document.createElement('li');
                          li.innerHTML = '<a href="' + it.url + '">' + it.title + '</a>';
                          document.getElementById('news').appendChild(li);
                        }
                      });
                      var x = new XMLHttpRequest();
                      x.open('GET', '/api/column.json');
                      x.onload = function () { document.getElementById('column').innerHTML = '<li>' + JSON.parse(x.responseText).name + '</li>'; };
                      x.send();
                    </script></body></html>
                    """)
                .Handle("/api/news.json", async c =>
                {
                    await Task.Delay(300, c.RequestAborted); // answers after the load event: only the network-idle wait sees it
                    c.Response.ContentType = "application/json; charset=utf-8";
                    await c.Response.WriteAsync("""[{"title":"关于开展2026年度政府网站检查的通知","url":"/tzgg/1.html"},{"title":"临江县人民政府工作报告","url":"/zfxxgk/2.html"}]""");
                })
                .Handle("/api/column.json", async c =>
                {
                    c.Response.ContentType = "application/json; charset=utf-8";
                    await c.Response.WriteAsync("""{"name":"来自XHR的栏目"}""");
                })
                .Page("/blank.html", """
                    <!DOCTYPE html><html><head><meta charset="utf-8"><title>空栏目</title></head><body>
                    <ul id="list"></ul><script>var nothing = [];</script></body></html>
                    """)
                .Handle("/connect.html", async c =>
                {
                    lock (UserAgents)
                    {
                        UserAgents["/connect.html"] = c.Request.Headers.UserAgent.ToString();
                        HostHeaders["/connect.html"] = c.Request.Host.Value ?? "";
                    }

                    c.Response.ContentType = "text/html; charset=utf-8";
                    await c.Response.WriteAsync($$"""
                        <!DOCTYPE html><html><head><meta charset="utf-8"><title>首页</title>
                        <style>@font-face { font-family: x; src: url(/font.woff2); } body { font-family: x; }</style></head><body>
                        <img src="http://{{OutsideHost}}/ad.png"><img src="/logo.png">
                        <script src="http://{{Host}}/app.js"></script></body></html>
                        """);
                })
                .Raw("/app.js", "document.body.insertAdjacentHTML('beforeend', '<p id=\"ran\">script ran</p>');"u8.ToArray(), "application/javascript")
                .File("/logo.png", "image/png")
                .File("/font.woff2", "font/woff2")
                .Handle("/slow.html", async c =>
                {
                    var now = Interlocked.Increment(ref slowInFlight);
                    int seen;
                    while ((seen = Volatile.Read(ref maxSlowInFlight)) < now && Interlocked.CompareExchange(ref maxSlowInFlight, now, seen) != seen)
                    {
                    }

                    try
                    {
                        await Task.Delay(400, c.RequestAborted);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref slowInFlight);
                    }

                    var n = c.Request.Query["n"].ToString();
                    c.Response.ContentType = "text/html; charset=utf-8";
                    await c.Response.WriteAsync($"<!DOCTYPE html><html><body><ul id=\"l\"></ul><script>document.getElementById('l').innerHTML = '<li>slow item {n}</li>';</script></body></html>");
                })
                .Slow("/hang.html", TimeSpan.FromSeconds(20)));
            Outside = await FakeSite.StartAsync(s => s.File("/ad.png", "image/png"));
            var now = TimeProvider.System.GetUtcNow();
            Secure = await FakeSite.StartAsync(
                s => s.Page("/index.html", "<!DOCTYPE html><html><body><ul id=\"l\"></ul><script>document.getElementById('l').innerHTML = '<li>办事指南</li>';</script></body></html>"),
                TestCertificates.Leaf(SecureHost, now.AddDays(-1), now.AddDays(30)));
            Services = new TestServices(new Dictionary<string, string?>
            {
                [$"Network:ConnectTo:{Host}"] = Site.EndPoint,
                [$"Network:ConnectTo:{OutsideHost}"] = Outside.EndPoint,
                [$"Network:ConnectTo:{SecureHost}"] = Secure.EndPoint,
                ["Crawler:ContactUrl"] = "https://sitewatch.example.gov.cn/about",
                ["Browser:TimeoutSeconds"] = "15",
                ["Browser:MaxPages"] = "2",
            });
            Renderer = Services.Get<IPageRenderer>();
        }

        public async Task DisposeAsync()
        {
            await Services.DisposeAsync();
            await Site.DisposeAsync();
            await Outside.DisposeAsync();
            await Secure.DisposeAsync();
        }
    }
}
