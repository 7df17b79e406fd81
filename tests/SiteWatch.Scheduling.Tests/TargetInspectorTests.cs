using Microsoft.Extensions.Logging.Abstractions;
using SiteWatch.Core.Checks;
using SiteWatch.Core.Checks.DeadLink;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Crawling.Site;
using SiteWatch.Scheduling;
using SiteWatch.TestKit;

namespace SiteWatch.Scheduling.Tests;

/// <summary>The fixture county site end to end: crawl, every check, exact findings.</summary>
public sealed class TargetInspectorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));
    private FixtureSites sites = null!;

    public async Task InitializeAsync() => sites = await FixtureSites.StartAsync();

    public async Task DisposeAsync() => await sites.DisposeAsync();

    [Fact]
    public async Task InspectAsync_ReportsExactlyThePlantedDeadLinks_AndNoneOfTheTraps()
    {
        await using var services = new TestServices(sites.Settings);

        var inspection = await services.Get<TargetInspector>().InspectAsync(Target(), Round(), CancellationToken.None);

        var dead = inspection.Findings.Where(f => f.Check == "dead-link").ToDictionary(f => f.Subject, f => f.Detail);
        Assert.Equal(FixtureSites.ExpectedDeadLinks.Keys.Order(), dead.Keys.Order());
        foreach (var (subject, detail) in FixtureSites.ExpectedDeadLinks)
        {
            Assert.StartsWith(detail, dead[subject]);
        }

        Assert.True(inspection.Findings.All(f => f.Check == "dead-link"), string.Join("\n", inspection.Findings.Where(f => f.Check != "dead-link").Select(f => $"{f.Check} {f.Subject} {f.Detail}")));
        Assert.All(inspection.Findings, f => Assert.Equal(AsOf, f.ObservedAt));
    }

    [Fact]
    public async Task InspectAsync_ChecksEachLinkOnce_AndStopsAtTheCalendarTrap()
    {
        await using var services = new TestServices(sites.Settings);

        var inspection = await services.Get<TargetInspector>().InspectAsync(Target(), Round(), CancellationToken.None);

        // Five calendar months crawled (the guard's limit), the sixth only checked, none after it.
        var calendar = sites.Site.Requests.Where(r => r.Contains("/calendar?", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, calendar.Count(r => r.StartsWith("GET ", StringComparison.Ordinal)));
        Assert.Equal(1, calendar.Count(r => r.StartsWith("HEAD ", StringComparison.Ordinal)));
        Assert.Contains("query variants", inspection.Error);

        // The navigation's dead link is on every page but requested once; the footer's external link too.
        Assert.Equal(1, sites.Site.Requests.Count(r => r.EndsWith(" /sjkf/index.html", StringComparison.Ordinal)));
        Assert.Equal(1, sites.External.CountOf("HEAD /"));
        var sjkf = inspection.Findings.Single(f => f.Subject == "http://www.linjiang.gov.cn/sjkf/index.html");
        Assert.Equal(4, sjkf.Occurrences); // home, two column pages, one article carry the navigation

        // HEAD refused (405) → GET once; 429 twice → third try succeeds.
        Assert.Equal(1, sites.Site.CountOf("GET /module/download/downfile.jsp?classid=0&filename=guide.pdf"));
        Assert.Equal(3, sites.Site.Requests.Count(r => r.EndsWith("/downloads/form.xls", StringComparison.Ordinal)));
        Assert.Contains(inspection.Pages, p => p.Url == "http://www.linjiang.gov.cn/col/tzgg/index.html" && p.State == "Ok");
    }

    [Fact]
    public async Task InspectAsync_RefusesLoopback_WhenPrivateAddressesAreNotAllowed()
    {
        var settings = sites.Settings;
        settings["Network:AllowPrivateAddresses"] = "false";
        await using var services = new TestServices(settings);

        var inspection = await services.Get<TargetInspector>().InspectAsync(Target(), Round(), CancellationToken.None);

        var notice = Assert.Single(inspection.Findings);
        Assert.Equal("not-checked", notice.Check);
        Assert.Equal(Severity.Notice, notice.Severity);
        Assert.Contains("private/loopback address", notice.Detail);
        Assert.Empty(sites.Site.Requests);
    }

    [Fact]
    public async Task InspectAsync_ReportsTheSiteUnreachable_WhenTheHomePageRefusesConnections()
    {
        var settings = sites.Settings;
        settings[$"Network:ConnectTo:{FixtureSites.Host}"] = $"127.0.0.1:{sites.ClosedPort}";
        await using var services = new TestServices(settings);

        var inspection = await services.Get<TargetInspector>().InspectAsync(Target(), Round(), CancellationToken.None);

        var finding = Assert.Single(inspection.Findings, f => f.Severity != Severity.Notice);
        Assert.Equal("site-unreachable", finding.Check);
        Assert.Equal("home page did not open at inspection: connection refused", finding.Detail);

        // What could not be judged is said, not passed over: the identity marks of an unread home page.
        var notice = Assert.Single(inspection.Findings, f => f.Severity == Severity.Notice);
        Assert.Equal("checks that could not decide: missing-identity: the home page could not be read, so its identity marks were not judged", notice.Detail);
    }

    [Fact]
    public async Task InspectAsync_KeepsTheOtherChecks_WhenOneCheckThrows()
    {
        await using var services = new TestServices(sites.Settings);
        var inspector = new TargetInspector(services.Get<SiteCrawler>(), services.Get<RuleSet>(),
            [new ThrowingCheck(), new DeadLinkCheck()], NullLogger<TargetInspector>.Instance);

        var inspection = await inspector.InspectAsync(Target(), Round(), CancellationToken.None);

        Assert.Equal(FixtureSites.ExpectedDeadLinks.Count, inspection.Findings.Count(f => f.Check == "dead-link"));
        var notice = Assert.Single(inspection.Findings, f => f.Check == "not-checked");
        Assert.Equal("checks that could not decide: broken-check: failed: rule table is corrupt", notice.Detail);
    }

    private sealed class ThrowingCheck : ICheck
    {
        public string Key => "broken-check";

        public string DisplayName => "故障检查";

        public TargetKind Kind => TargetKind.Website;

        public ICheckSession Begin(CheckContext context) => new Session();

        private sealed class Session : ICheckSession
        {
            public void OnPage(CrawledPage page) => throw new InvalidOperationException("rule table is corrupt");

            public CheckResult Complete(SiteCrawl crawl) => CheckResult.Passed;
        }
    }

    internal static Target Target() => new()
    {
        Id = "4306260001", Kind = TargetKind.Website, Name = "临江县人民政府", Url = FixtureSites.Home, Organization = "临江县人民政府办公室",
        Region = "临江县", SiteCode = "4306260001",
    };

    internal static Round Round() => new()
    {
        Id = "2026Q4", Kind = TargetKind.Website, AsOf = AsOf, SampleFraction = 1, Seed = 1, Status = RoundStatus.Running, CreatedAt = AsOf,
    };
}
