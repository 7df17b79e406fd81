using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SiteWatch.Cli.Commands;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Browser;
using SiteWatch.Storage;
using SiteWatch.TestKit;
using Xunit.Abstractions;

namespace SiteWatch.Cli.Tests;

/// <summary>
/// The overview and round pages as a person sees them: `serve` in process runs one round on the fixture county site,
/// then Debian's headless Chromium (SITEWATCH_CHROMIUM, default /usr/bin/chromium) opens `/` and `/rounds/{id}`; the
/// screenshots are kept under the test output's TestResults/screenshots.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeScreenshotTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private FixtureSites sites = null!;

    public async Task InitializeAsync() => sites = await FixtureSites.StartAsync();

    public async Task DisposeAsync()
    {
        await sites.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task OverviewAndRoundPages_ShowTheRound_InHeadlessChromium()
    {
        var chromium = Environment.GetEnvironmentVariable("SITEWATCH_CHROMIUM") is { Length: > 0 } configured ? configured : BrowserOptions.DebianChromium;
        Assert.True(File.Exists(chromium), $"{chromium} not found: apt-get install -y chromium fonts-noto-cjk, or set SITEWATCH_CHROMIUM");
        var screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(screenshots);

        // One round only: a schedule that missed its yearly fire fires once at start (a cron every 2 s would open a
        // new round right after this one completes, and the overview shows the latest round).
        var settings = new Dictionary<string, string?>(sites.Settings)
        {
            ["Geo:CountryDatabase"] = TestGeo.WriteDatabase(folder.File("country.mmdb")),
            ["Logging:Folder"] = folder.File("logs"),
            ["Service:Workers"] = "2",
            ["Network:AllowPrivateAddresses"] = "true",
        };
        await using var app = await ServeCommandHandler.BuildAsync(
            new GlobalOptions(folder.File("serve.db"), null, RepoPaths.Rules, null, false) { Overrides = settings }, "http://127.0.0.1:0", CancellationToken.None);
        await app.Services.GetRequiredService<TargetStore>().UpsertAsync([new Target
        {
            Id = "4306260001", Kind = TargetKind.Website, Name = "临江县人民政府", Url = FixtureSites.Home, Organization = "临江县人民政府办公室",
            Region = "临江县", SiteCode = "4306260001",
        }], dryRun: false, CancellationToken.None);
        await app.Services.GetRequiredService<ScheduleStore>().SaveAsync(new Schedule
        {
            Id = "new-year", Name = "元旦轮次", Job = ScheduleJob.WebsiteRound, Cron = "0 0 3 1 1 ?", SampleFraction = 1,
            CreatedAt = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8)),
        }, CancellationToken.None);
        await WebLogin.AddUserAsync(app.Services.GetRequiredService<UserStore>(), "office", Roles.Admin);
        await app.StartAsync();
        var round = await WaitForCompleteRoundAsync(app.Services.GetRequiredService<RoundStore>(), TimeSpan.FromSeconds(60));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 700 }, Locale = "zh-CN" });

        await page.GotoAsync(address + "/login", new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 20_000 });
        await page.FillAsync("input[name=name]", "office");
        await page.FillAsync("input[name=password]", WebLogin.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(address + "/");

        var overviewPng = Path.Combine(screenshots, "overview.png");
        var response = await page.GotoAsync(address + "/", new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 20_000 });
        Assert.Equal(200, response!.Status);
        var overviewText = await page.InnerTextAsync("body");
        var latestLink = await page.InnerTextAsync("h2 a");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = overviewPng, FullPage = true });
        output.WriteLine($"overview screenshot: {overviewPng}");

        var roundPng = Path.Combine(screenshots, "round.png");
        response = await page.GotoAsync($"{address}/rounds/{round.Id}", new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 20_000 });
        Assert.Equal(200, response!.Status);
        var roundText = await page.InnerTextAsync("body");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = roundPng, FullPage = true });
        output.WriteLine($"round screenshot: {roundPng}");

        // The correction loop's pages: the open findings by target, and one finding with its history and the fixed form.
        var noticesPng = Path.Combine(screenshots, "notices.png");
        response = await page.GotoAsync($"{address}/notices", new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 20_000 });
        Assert.Equal(200, response!.Status);
        var noticesText = await page.InnerTextAsync("body");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = noticesPng, FullPage = true });
        var findingPng = Path.Combine(screenshots, "finding.png");
        await page.ClickAsync("td a[href^='/findings/']");
        await page.WaitForLoadStateAsync(LoadState.Load);
        var findingText = await page.InnerTextAsync("body");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = findingPng, FullPage = true });
        output.WriteLine($"notices screenshot: {noticesPng}; finding screenshot: {findingPng}");
        await app.StopAsync();

        Assert.Contains("整改通知", noticesText, StringComparison.Ordinal);
        Assert.Contains("链接不可用", noticesText, StringComparison.Ordinal);
        Assert.Contains("处理记录", findingText, StringComparison.Ordinal);
        Assert.Contains("发现 found", findingText, StringComparison.Ordinal);
        Assert.Contains("标记已整改", findingText, StringComparison.Ordinal);

        Assert.Contains(round.Id, overviewText, StringComparison.Ordinal);
        Assert.Contains("链接不可用", overviewText, StringComparison.Ordinal);
        Assert.Equal(round.Id, latestLink);
        Assert.Contains($"轮次 Round {round.Id}", roundText, StringComparison.Ordinal);
        Assert.Contains("1/1 targets done", roundText, StringComparison.Ordinal);
        Assert.Contains("完成 complete", roundText, StringComparison.Ordinal);
        Assert.True(new FileInfo(overviewPng).Length > 1000 && new FileInfo(roundPng).Length > 1000, "screenshots are (nearly) empty");
    }

    private static async Task<Round> WaitForCompleteRoundAsync(RoundStore rounds, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            if (await rounds.LatestAsync(CancellationToken.None) is { Status: RoundStatus.Complete } round)
            {
                return round;
            }

            await Task.Delay(250, timeout.Token);
        }
    }
}
