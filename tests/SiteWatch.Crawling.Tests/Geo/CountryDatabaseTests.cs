using System.Diagnostics;
using System.Net;
using SiteWatch.Crawling.Geo;
using SiteWatch.TestKit;
using Xunit.Abstractions;

namespace SiteWatch.Crawling.Tests.Geo;

public sealed class CountryDatabaseTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder folder = new();

    [Theory]
    [InlineData(24)]
    [InlineData(28)]
    public void CountryOf_ReadsEachRecordShape_FromAWrittenDatabase(int recordSize)
    {
        var path = folder.File($"test-{recordSize}.mmdb");
        TestGeo.Writer(recordSize).WriteTo(path);
        using var database = new CountryDatabase(path);

        Assert.Equal("CN", database.CountryOf(IPAddress.Parse(TestGeo.China)));
        Assert.Equal("CN", database.CountryOf(IPAddress.Parse("198.51.100.255")));
        Assert.Equal("US", database.CountryOf(IPAddress.Parse(TestGeo.UnitedStates)));
        Assert.Equal("HK", database.CountryOf(IPAddress.Parse(TestGeo.HongKong)));
        Assert.Equal("JP", database.CountryOf(IPAddress.Parse(TestGeo.JapanGeoLite2)));
        Assert.Equal("CN", database.CountryOf(IPAddress.Parse(TestGeo.ChinaV6)));
        Assert.Equal("US", database.CountryOf(IPAddress.Parse(TestGeo.UnitedStatesV6)));
        Assert.Equal("CN", database.CountryOf(IPAddress.Parse("::ffff:" + TestGeo.China)));
        Assert.Null(database.CountryOf(IPAddress.Parse(TestGeo.Unlisted)));
        Assert.Null(database.CountryOf(IPAddress.Parse("198.51.101.1")));
        Assert.Null(database.CountryOf(IPAddress.Parse("2001:db8:2::1")));
        Assert.Equal("SiteWatch-Test-Country", database.DatabaseType);
    }

    [Fact]
    public void Constructor_SaysHowToGetTheFile_WhenItIsMissing()
    {
        var error = Assert.Throws<CountryDatabaseException>(() => new CountryDatabase(folder.File("none.mmdb")));

        Assert.Equal($"Geo:CountryDatabase '{folder.File("none.mmdb")}' not found; run 'bash tests/setup.sh' to fetch it or set Geo:CountryDatabase", error.Message);
    }

    [Fact]
    public void Constructor_Fails_WhenTheFileIsNotAMaxMindDatabase()
    {
        File.WriteAllText(folder.File("not.mmdb"), "<html>a download that went wrong</html>");

        var error = Assert.Throws<CountryDatabaseException>(() => new CountryDatabase(folder.File("not.mmdb")));

        Assert.StartsWith($"Geo:CountryDatabase '{folder.File("not.mmdb")}' cannot be read as a MaxMind (.mmdb) database: ", error.Message);
    }

    /// <summary>The database tests/setup.sh fetches (tests/test.sh runs setup first, so it must be there).</summary>
    [Fact]
    public void CountryOf_PlacesWellKnownAddresses_InTheRealDatabase()
    {
        var path = Path.Combine(RepoPaths.Root, GeoOptions.DefaultDatabase);
        Assert.True(File.Exists(path), $"{path} is missing: run 'bash tests/setup.sh' (tests/test.sh does) to fetch the country database");
        using var database = new CountryDatabase(path);

        Assert.Equal("CN", database.CountryOf(IPAddress.Parse("1.2.4.8")));       // CNNIC public DNS
        Assert.Equal("CN", database.CountryOf(IPAddress.Parse("114.114.114.114")));
        Assert.Equal("US", database.CountryOf(IPAddress.Parse("8.8.8.8")));
        Assert.Equal("CN", database.CountryOf(IPAddress.Parse("240c::6666")));     // CNNIC public DNS, IPv6
        Assert.Null(database.CountryOf(IPAddress.Parse("10.1.2.3")));

        // Lookup cost, for the record (README): a round looks up a handful of addresses per site.
        var sample = new[] { "1.2.4.8", "8.8.8.8", "114.114.114.114", "240c::6666", "202.96.128.86", "203.0.113.10" }.Select(IPAddress.Parse).ToArray();
        for (var i = 0; i < 10_000; i++)
        {
            database.CountryOf(sample[i % sample.Length]);
        }

        const int lookups = 200_000;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < lookups; i++)
        {
            database.CountryOf(sample[i % sample.Length]);
        }

        output.WriteLine($"{clock.Elapsed.TotalNanoseconds / lookups:0} ns per lookup ({database.DatabaseType}, built {database.BuildDate:yyyy-MM-dd})");
    }

    public void Dispose() => folder.Dispose();
}
