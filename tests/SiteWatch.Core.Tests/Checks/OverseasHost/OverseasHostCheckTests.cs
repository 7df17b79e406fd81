using SiteWatch.Core.Checks;
using SiteWatch.Core.Checks.OverseasHost;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.TestKit;

namespace SiteWatch.Core.Tests.Checks.OverseasHost;

public sealed class OverseasHostCheckTests
{
    private const string Home = "http://www.linjiang.gov.cn/";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Complete_FlagsEachHostAbroad_OncePerHost()
    {
        var result = Complete(
            Host("linjiang.gov.cn", ("198.51.100.7", "CN")),
            Host("www.linjiang.gov.cn", ("203.0.113.10", "US"), ("2001:db8:1::10", "US"), ("198.51.100.8", "CN")));

        var finding = Assert.Single(result.Findings);
        Assert.Equal("overseas-host", finding.Check);
        Assert.Equal("www.linjiang.gov.cn", finding.Subject);
        Assert.Equal(Home, finding.Url);
        Assert.Equal(AsOf, finding.ObservedAt);
        Assert.Equal(Severity.Veto, finding.Severity);
        Assert.Equal("www.linjiang.gov.cn → 203.0.113.10 (US), 2001:db8:1::10 (US), 198.51.100.8 (CN)", finding.Detail);
    }

    [Theory]
    [InlineData("HK")]
    [InlineData("MO")]
    [InlineData("TW")]
    public void Complete_FlagsHongKongMacaoAndTaiwan_UnderTheDefaultHomeCountries(string country)
    {
        Assert.Equal(CheckOutcome.Flagged, Complete(Host("www.linjiang.gov.cn", ("192.0.2.20", country))).Outcome);
    }

    [Fact]
    public void Complete_Passes_WhenEveryAddressIsAtHome()
    {
        Assert.Equal(CheckOutcome.Passed, Complete(Host("www.linjiang.gov.cn", ("198.51.100.7", "CN"), ("2001:db8:86::1", "CN"))).Outcome);
    }

    [Fact]
    public void Complete_FollowsTheRules_ForHomeCountriesAndSeverity()
    {
        var rules = ShippedRules.Value with { OverseasHost = new OverseasHostRules { Severity = Severity.Deduct, HomeCountries = ["CN", "HK"] } };

        Assert.Equal(CheckOutcome.Passed, Complete(rules, Host("www.linjiang.gov.cn", ("192.0.2.20", "HK"))).Outcome);
        Assert.Equal(Severity.Deduct, Assert.Single(Complete(rules, Host("www.linjiang.gov.cn", ("203.0.113.10", "US"))).Findings).Severity);
    }

    [Fact]
    public void Complete_SkipsWithTheReason_WhenTheNameDidNotResolve()
    {
        var result = Complete(new HostLocation { Host = "www.linjiang.gov.cn", Error = "name resolution failed: host name not found" });

        Assert.Equal(CheckOutcome.Skipped, result.Outcome);
        Assert.Equal("hosting location not judged: www.linjiang.gov.cn: name resolution failed: host name not found", result.SkipReason);
    }

    [Fact]
    public void Complete_SkipsWithTheReason_WhenThereIsNoHostToLookUp()
    {
        var result = Complete();

        Assert.Equal(CheckOutcome.Skipped, result.Outcome);
        Assert.Equal("the site's host was not looked up (no valid registered address)", result.SkipReason);
    }

    [Fact]
    public void Complete_FlagsWhatIsKnownToBeAbroad_EvenWhenAnotherAddressIsUnknown()
    {
        var result = Complete(Host("www.linjiang.gov.cn", ("203.0.113.10", "US"), ("192.0.2.200", null)));

        Assert.Equal("www.linjiang.gov.cn → 203.0.113.10 (US), 192.0.2.200 (not in the country database)", Assert.Single(result.Findings).Detail);
    }

    private static HostLocation Host(string host, params (string Address, string? Country)[] addresses) => new()
    {
        Host = host,
        Addresses = addresses.Select(a => new AddressLocation { Address = a.Address, Country = a.Country }).ToList(),
    };

    private static CheckResult Complete(params HostLocation[] locations) => Complete(ShippedRules.Value, locations);

    private static CheckResult Complete(RuleSet rules, params HostLocation[] locations)
    {
        var context = new CheckContext(
            new Target
            {
                Id = "4306260001", Kind = TargetKind.Website, Name = "临江县人民政府", Url = Home, Organization = "临江县人民政府办公室",
                Region = "临江县", SiteCode = "4306260001",
            },
            new Round { Id = "2026Q4", Kind = TargetKind.Website, AsOf = AsOf, SampleFraction = 1, Seed = 1, Status = RoundStatus.Running, CreatedAt = AsOf },
            rules);
        return new OverseasHostCheck().Begin(context)
            .Complete(new SiteCrawl { HomeUrl = Home, HomeOutcome = FetchOutcome.Ok(200), Links = [], Locations = locations });
    }
}
