using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Http;
using SiteWatch.TestKit;

namespace SiteWatch.Crawling.Tests.Http;

public sealed class HttpFetcherTests
{
    private const string Host = "www.test.gov.cn";

    [Fact]
    public async Task CheckLinkAsync_WaitsAsRetryAfterAsks_WhenThrottled()
    {
        await using var site = await FakeSite.StartAsync(s => s.ThrottledThenOk("/a.pdf", times: 1, status: 503, retryAfterSeconds: 2));
        await using var services = Services(site);
        var clock = Stopwatch.StartNew();

        var outcome = await services.Get<HttpFetcher>().CheckLinkAsync($"http://{Host}/a.pdf", CancellationToken.None);

        Assert.Equal(FetchState.Ok, outcome.State);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task CheckLinkAsync_SaysNotChecked_WhenThrottledOnEveryTry()
    {
        await using var site = await FakeSite.StartAsync(s => s.ThrottledThenOk("/a.pdf", times: 100, status: 429, retryAfterSeconds: 0));
        await using var services = Services(site);

        var outcome = await services.Get<HttpFetcher>().CheckLinkAsync($"http://{Host}/a.pdf", CancellationToken.None);

        Assert.Equal(FetchState.NotChecked, outcome.State);
        Assert.False(outcome.IsBroken);
        Assert.Equal(3, site.Requests.Count); // HEAD, then two retries; never a GET fallback for throttling
    }

    [Fact]
    public async Task CheckLinkAsync_DoesNotWait_ForARetryAfterBeyondTheLimit()
    {
        await using var site = await FakeSite.StartAsync(s => s.ThrottledThenOk("/a.pdf", times: 100, status: 429, retryAfterSeconds: 3600));
        await using var services = Services(site);

        var outcome = await services.Get<HttpFetcher>().CheckLinkAsync($"http://{Host}/a.pdf", CancellationToken.None);

        Assert.Equal(FetchState.NotChecked, outcome.State);
        Assert.Contains("asks to wait 3600 s", outcome.Message);
    }

    [Fact]
    public async Task GetPageAsync_RefusesToRead_APageLargerThanTheLimit()
    {
        var big = new string('x', 200_000);
        await using var site = await FakeSite.StartAsync(s => s
            .Page("/big.html", $"<html><body>{big}</body></html>")
            .Handle("/chunked.html", async c =>
            {
                c.Response.ContentType = "text/html";
                for (var i = 0; i < 50; i++)
                {
                    await c.Response.WriteAsync(big[..10_000]);
                }
            }));
        await using var services = Services(site, ("Crawler:MaxResponseBytes", "100000"));
        var fetcher = services.Get<HttpFetcher>();

        var declared = await fetcher.GetPageAsync($"http://{Host}/big.html", CancellationToken.None);
        var streamed = await fetcher.GetPageAsync($"http://{Host}/chunked.html", CancellationToken.None);

        Assert.Equal(FetchState.TooLarge, declared.Outcome.State);
        Assert.Equal(FetchState.TooLarge, streamed.Outcome.State);
        Assert.Null(streamed.Body);
        Assert.False(streamed.Outcome.IsBroken);
    }

    [Fact]
    public async Task GetPageAsync_StopsAtTheRedirectLimit()
    {
        await using var site = await FakeSite.StartAsync(s =>
        {
            for (var i = 0; i < 6; i++)
            {
                s.Redirect($"/r{i}", $"/r{i + 1}");
            }
        });
        await using var services = Services(site, ("Crawler:MaxRedirects", "3"));

        var response = await services.Get<HttpFetcher>().GetPageAsync($"http://{Host}/r0", CancellationToken.None);

        Assert.Equal(FetchState.TooManyRedirects, response.Outcome.State);
        Assert.Equal(5, response.Outcome.RedirectChain.Count);
        Assert.StartsWith("more than 3 redirects", response.Outcome.Message);
    }

    [Fact]
    public async Task Requests_CarryTheSiteWatchUserAgent_WithTheContactUrl()
    {
        string? agent = null;
        await using var site = await FakeSite.StartAsync(s => s.Handle("/", c =>
        {
            agent = c.Request.Headers.UserAgent;
            return Task.CompletedTask;
        }));
        await using var services = Services(site, ("Crawler:ContactUrl", "https://sitewatch.example.gov.cn/about"));

        await services.Get<HttpFetcher>().GetPageAsync($"http://{Host}/", CancellationToken.None);

        Assert.StartsWith("SiteWatch/", agent);
        Assert.Contains("https://sitewatch.example.gov.cn/about", agent);
    }

    [Fact]
    public async Task DnsOverrides_AreUsedForConnecting_AndTheGuardJudgesTheirAddresses()
    {
        await using var site = await FakeSite.StartAsync(s => s.Page("/", "<p>ok</p>"));
        await using var allowed = new TestServices(new Dictionary<string, string?>
        {
            [$"Network:DnsOverrides:{Host}"] = "127.0.0.1",
        });
        await using var guarded = new TestServices(new Dictionary<string, string?>
        {
            [$"Network:DnsOverrides:{Host}"] = "10.1.2.3",
            ["Network:AllowPrivateAddresses"] = "false",
        });

        var ok = await allowed.Get<HttpFetcher>().GetPageAsync($"http://{Host}:{site.Port}/", CancellationToken.None);
        var blocked = await guarded.Get<HttpFetcher>().GetPageAsync($"http://{Host}/", CancellationToken.None);

        Assert.Equal(FetchState.Ok, ok.Outcome.State);
        Assert.Equal(FetchState.Blocked, blocked.Outcome.State);
        Assert.Contains("10.1.2.3", blocked.Outcome.Message);
    }

    [Fact]
    public async Task GetBodyAsync_ReadsAnyContentType_FollowingRedirects()
    {
        await using var site = await FakeSite.StartAsync(s => s
            .Redirect("/feed", "/feed.json")
            .Raw("/feed.json", "{\"ok\":1}"u8.ToArray(), "application/json"));
        await using var services = Services(site);

        var response = await services.Get<HttpFetcher>().GetBodyAsync($"http://{Host}/feed", CancellationToken.None);

        Assert.Equal(FetchState.Ok, response.Outcome.State);
        Assert.Equal($"http://{Host}/feed.json", response.FinalUrl);
        Assert.Equal("{\"ok\":1}", System.Text.Encoding.UTF8.GetString(response.Body!));
        Assert.Equal("application/json", response.ContentTypeHeader);
    }

    [Fact]
    public async Task GetBodyAsync_Returns429AtOnce_WithRetryAfter()
    {
        await using var site = await FakeSite.StartAsync(s => s.ThrottledThenOk("/feed.xml", times: 100, status: 429, retryAfterSeconds: 7));
        await using var services = Services(site);

        var response = await services.Get<HttpFetcher>().GetBodyAsync($"http://{Host}/feed.xml", CancellationToken.None);

        Assert.Equal(FetchState.HttpError, response.Outcome.State);
        Assert.Equal(429, response.Outcome.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.RetryAfter);
        Assert.Equal(1, site.CountOf("GET /feed.xml"));
    }

    [Fact]
    public async Task GetBodyAsync_RefusesToRead_ABodyLargerThanMaxResponseBytes()
    {
        await using var site = await FakeSite.StartAsync(s => s.File("/big.xml", "application/rss+xml", size: 4096));
        await using var services = Services(site, ("Crawler:MaxResponseBytes", "2048"));

        var response = await services.Get<HttpFetcher>().GetBodyAsync($"http://{Host}/big.xml", CancellationToken.None);

        Assert.Equal(FetchState.TooLarge, response.Outcome.State);
        Assert.Null(response.Body);
    }

    private static TestServices Services(FakeSite site, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { [$"Network:ConnectTo:{Host}"] = site.EndPoint };
        foreach (var (k, v) in extra)
        {
            settings[k] = v;
        }

        return new TestServices(settings);
    }
}
