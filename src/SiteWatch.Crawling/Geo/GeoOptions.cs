namespace SiteWatch.Crawling.Geo;

/// <summary>
/// The <c>Geo</c> section (contract.md §3). <c>Geo:HomeCountries</c> is policy and is merged into the rule set by
/// SiteWatch.Rules (it replaces crawler-rules/overseas-host.yaml's home_countries), so it is not repeated here.
/// </summary>
public sealed class GeoOptions
{
    public const string Section = "Geo";

    /// <summary>The file tests/setup.sh fetches (ip-location-db, geo-whois-asn-country, IPv4 and IPv6).</summary>
    public const string DefaultDatabase = "data/geo/geo-whois-asn-country.mmdb";

    /// <summary>A MaxMind-format (.mmdb) country database; relative to the working folder, like Storage:Database.</summary>
    public string CountryDatabase { get; set; } = DefaultDatabase;
}
