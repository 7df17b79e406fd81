namespace SiteWatch.TestKit;

/// <summary>
/// The country database the tests use, written by <see cref="MmdbWriter"/> from documentation address ranges
/// (RFC 5737, RFC 3849) so that no real address is claimed: TestServices points Geo:CountryDatabase at it.
/// </summary>
public static class TestGeo
{
    /// <summary>198.51.100.0/24 is in China.</summary>
    public const string China = "198.51.100.7";

    /// <summary>203.0.113.0/24 is in the United States.</summary>
    public const string UnitedStates = "203.0.113.10";

    /// <summary>192.0.2.0/25 is in Hong Kong (境外).</summary>
    public const string HongKong = "192.0.2.20";

    /// <summary>192.0.2.128/26 is in Japan, written in the GeoLite2-Country record shape.</summary>
    public const string JapanGeoLite2 = "192.0.2.130";

    /// <summary>192.0.2.192/26 is in no network of the database.</summary>
    public const string Unlisted = "192.0.2.200";

    /// <summary>2001:db8:86::/48 is in China; 2001:db8:1::/48 in the United States.</summary>
    public const string ChinaV6 = "2001:db8:86::10";

    public const string UnitedStatesV6 = "2001:db8:1::10";

    public static MmdbWriter Writer(int recordSize = 28) => new MmdbWriter { RecordSize = recordSize }
        .AddCountryCode("198.51.100.0/24", "CN")
        .AddCountryCode("203.0.113.0/24", "US")
        .AddCountryCode("192.0.2.0/25", "HK")
        .AddGeoLite2Country("192.0.2.128/26", "JP", "Japan", 1_861_060)
        .AddCountryCode("2001:db8:86::/48", "CN")
        .AddCountryCode("2001:db8:1::/48", "US");

    /// <summary>Writes the database to <paramref name="path"/> and returns the path.</summary>
    public static string WriteDatabase(string path)
    {
        Writer().WriteTo(path);
        return path;
    }
}
