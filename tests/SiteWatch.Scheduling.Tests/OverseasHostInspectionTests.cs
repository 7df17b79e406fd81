using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.TestKit;

namespace SiteWatch.Scheduling.Tests;

/// <summary>
/// overseas-host end to end: a fixture site on loopback whose host names resolve, through Network:DnsOverrides,
/// to documentation addresses that the test country database (TestGeo) places in CN, US, HK or nowhere.
/// Connections go to loopback (ConnectTo); no DNS query leaves the machine.
/// </summary>
public sealed class OverseasHostInspectionTests : IAsyncLifetime
{
    private const string Host = "www.linjiang.gov.cn";
    private const string CdnHost = "static.cdn-abroad.com";
    private FakeSite site = null!;

    public async Task InitializeAsync() => site = await FakeSite.StartAsync(s => s
        .Page("/", $"""
            <html><head><title>临江县人民政府</title><script src="http://{CdnHost}/lib/jquery.js"></script></head>
            <body><img src="http://{CdnHost}/img/banner.png"><a href="/xxgk/index.html">信息公开</a></body></html>
            """)
        .Page("/xxgk/index.html", "<html><body><p>信息公开</p></body></html>")
        .File("/lib/jquery.js", "text/javascript")
        .File("/img/banner.png", "image/png")
        .Redirect("/landing", $"http://{Host}/xxgk/index.html", 301));

    public async Task DisposeAsync() => await site.DisposeAsync();

    [Fact]
    public async Task Inspect_FlagsTheHost_WhenItResolvesToAnAddressAbroad()
    {
        var findings = await InspectAsync(new() { [$"Network:DnsOverrides:{Host}"] = TestGeo.UnitedStates });

        var finding = Assert.Single(findings, f => f.Check == "overseas-host");
        Assert.Equal(Host, finding.Subject);
        Assert.Equal(Severity.Veto, finding.Severity);
        Assert.Equal($"http://{Host}/", finding.Url);
        Assert.Equal($"{Host} → {TestGeo.UnitedStates} (US)", finding.Detail);
        Assert.DoesNotContain(findings, f => f.Check == "not-checked");
    }

    [Fact]
    public async Task Inspect_DoesNotJudgeThirdPartyHosts_WhenTheSiteItselfIsInChina()
    {
        var findings = await InspectAsync(new()
        {
            [$"Network:DnsOverrides:{Host}"] = TestGeo.China,
            [$"Network:DnsOverrides:{CdnHost}"] = TestGeo.UnitedStates,
            [$"Network:ConnectTo:{CdnHost}"] = site.EndPoint,
        });

        Assert.DoesNotContain(findings, f => f.Check is "overseas-host" or "not-checked");
        Assert.Equal(1, site.CountOf("HEAD /lib/jquery.js")); // the script was reached, so its host was in play
    }

    [Fact]
    public async Task Inspect_FlagsHongKong_AsOverseas()
    {
        var findings = await InspectAsync(new() { [$"Network:DnsOverrides:{Host}"] = TestGeo.HongKong });

        Assert.Equal($"{Host} → {TestGeo.HongKong} (HK)", Assert.Single(findings, f => f.Check == "overseas-host").Detail);
    }

    [Fact]
    public async Task Inspect_ListsEveryAddress_WhenOneOfTwoIsAbroad()
    {
        var findings = await InspectAsync(new() { [$"Network:DnsOverrides:{Host}"] = $"{TestGeo.China},{TestGeo.UnitedStates},{TestGeo.ChinaV6}" });

        Assert.Equal($"{Host} → {TestGeo.China} (CN), {TestGeo.UnitedStates} (US), {TestGeo.ChinaV6} (CN)",
            Assert.Single(findings, f => f.Check == "overseas-host").Detail);
    }

    [Fact]
    public async Task Inspect_JudgesTheHostTheHomePageLandedOn()
    {
        const string bare = "linjiang.gov.cn";
        var findings = await InspectAsync(new()
        {
            [$"Network:ConnectTo:{bare}"] = site.EndPoint,
            [$"Network:DnsOverrides:{bare}"] = TestGeo.China,
            [$"Network:DnsOverrides:{Host}"] = TestGeo.UnitedStates,
        }, $"http://{bare}/landing");

        var finding = Assert.Single(findings, f => f.Check == "overseas-host");
        Assert.Equal(Host, finding.Subject);
        Assert.Equal($"{Host} → {TestGeo.UnitedStates} (US)", finding.Detail);
    }

    [Fact]
    public async Task Inspect_SaysItCouldNotJudge_WhenTheHostIsOnlyMappedToLoopback()
    {
        // ConnectTo without a DnsOverrides entry: located at the ConnectTo address, with no DNS query.
        var findings = await InspectAsync(new());

        Assert.DoesNotContain(findings, f => f.Check == "overseas-host");
        var notice = Assert.Single(findings, f => f.Check == "not-checked");
        Assert.Equal(Severity.Notice, notice.Severity);
        Assert.Contains($"overseas-host: hosting location not judged: {Host} → 127.0.0.1 (private): a private/loopback address has no country", notice.Detail);
    }

    [Fact]
    public async Task Inspect_SaysItCouldNotJudge_WhenTheAddressIsNotInTheDatabase()
    {
        var findings = await InspectAsync(new() { [$"Network:DnsOverrides:{Host}"] = $"{TestGeo.China},{TestGeo.Unlisted}" });

        Assert.DoesNotContain(findings, f => f.Check == "overseas-host");
        Assert.Contains($"overseas-host: hosting location not judged: {Host} → {TestGeo.China} (CN), {TestGeo.Unlisted} (not in the country database): the country of an address is not known",
            Assert.Single(findings, f => f.Check == "not-checked").Detail);
    }

    [Fact]
    public async Task Inspect_TakesTheHomeCountriesFromConfiguration()
    {
        var findings = await InspectAsync(new()
        {
            [$"Network:DnsOverrides:{Host}"] = TestGeo.HongKong,
            ["Geo:HomeCountries:0"] = "CN",
            ["Geo:HomeCountries:1"] = "HK",
        });

        Assert.DoesNotContain(findings, f => f.Check is "overseas-host" or "not-checked");
    }

    private async Task<IReadOnlyList<Finding>> InspectAsync(Dictionary<string, string?> settings, string? url = null)
    {
        settings.TryAdd($"Network:ConnectTo:{Host}", site.EndPoint);
        await using var services = new TestServices(settings);
        var target = TargetInspectorTests.Target() with { Url = url ?? $"http://{Host}/" };
        var inspection = await services.Get<TargetInspector>().InspectAsync(target, TargetInspectorTests.Round(), CancellationToken.None);
        return inspection.Findings;
    }
}
