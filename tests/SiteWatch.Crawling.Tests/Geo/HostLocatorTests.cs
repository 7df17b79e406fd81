using Microsoft.Extensions.Options;
using SiteWatch.Crawling.Geo;
using SiteWatch.Crawling.Http;
using SiteWatch.TestKit;

namespace SiteWatch.Crawling.Tests.Geo;

public sealed class HostLocatorTests : IDisposable
{
    private readonly TempFolder folder = new();

    [Fact]
    public async Task LocateAsync_GivesEveryOverriddenAddress_WithItsCountry()
    {
        using var locator = Locator(new NetworkOptions
        {
            DnsOverrides = { ["www.x.gov.cn"] = $"{TestGeo.UnitedStates}, {TestGeo.China},{TestGeo.ChinaV6}" },
            ConnectTo = { ["www.x.gov.cn"] = "127.0.0.1:8080" },
        });

        var location = await locator.Value.LocateAsync("www.x.gov.cn", CancellationToken.None);

        Assert.Null(location.Error);
        Assert.Equal([(TestGeo.UnitedStates, "US"), (TestGeo.China, "CN"), (TestGeo.ChinaV6, "CN")],
            location.Addresses.Select(a => (a.Address, a.Country)).ToList());
    }

    [Fact]
    public async Task LocateAsync_UsesTheConnectToAddress_WhenTheHostHasNoDnsOverride()
    {
        // A real-looking name with no override: asking DNS would give another answer or none.
        using var locator = Locator(new NetworkOptions { ConnectTo = { ["www.connect-only.gov.cn"] = "127.0.0.1:8080" } });

        var location = await locator.Value.LocateAsync("www.connect-only.gov.cn", CancellationToken.None);

        var address = Assert.Single(location.Addresses);
        Assert.Equal("127.0.0.1", address.Address);
        Assert.True(address.IsPrivate);
        Assert.Null(address.Country);
    }

    [Fact]
    public async Task LocateAsync_SaysWhy_WhenTheNameDoesNotResolve()
    {
        using var locator = Locator(new NetworkOptions());

        var location = await locator.Value.LocateAsync("www.gone.invalid", CancellationToken.None);

        Assert.Empty(location.Addresses);
        Assert.Equal("name resolution failed: host name not found", location.Error);
    }

    private Disposable<HostLocator> Locator(NetworkOptions network)
    {
        var countries = new CountryDatabase(TestGeo.WriteDatabase(folder.File($"{Guid.NewGuid():N}.mmdb")));
        var options = Options.Create(network);
        return new(new HostLocator(new AddressResolver(options), countries, options, Options.Create(new CrawlerOptions())), countries);
    }

    public void Dispose() => folder.Dispose();

    private sealed class Disposable<T>(T value, IDisposable owned) : IDisposable
    {
        public T Value { get; } = value;

        public void Dispose() => owned.Dispose();
    }
}
