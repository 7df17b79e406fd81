using System.Net;
using System.Net.Sockets;
using MaxMind.Db;

namespace SiteWatch.Crawling.Geo;

/// <summary>
/// A MaxMind-format country database, opened once (memory-mapped) and shared: lookups are thread-safe and do no
/// I/O beyond the mapped file. Reads the ip-location-db record shape <c>{ "country_code": "US" }</c> and the
/// GeoLite2/GeoIP2-Country shape <c>{ "country": { "iso_code": "US" } }</c> (falling back to
/// <c>registered_country</c>), so a general office can point <c>Geo:CountryDatabase</c> at either.
/// </summary>
public sealed class CountryDatabase : IDisposable
{
    private readonly Reader reader;

    /// <summary>Opens <paramref name="configuredPath"/>; throws <see cref="CountryDatabaseException"/> with a one-line reason when it cannot be used.</summary>
    public CountryDatabase(string configuredPath)
    {
        Path = System.IO.Path.GetFullPath(configuredPath);
        var named = Path == configuredPath ? $"'{configuredPath}'" : $"'{configuredPath}' ({Path})";
        if (!File.Exists(Path))
        {
            throw new CountryDatabaseException(
                $"Geo:CountryDatabase {named} not found; run 'bash tests/setup.sh' to fetch it or set Geo:CountryDatabase");
        }

        try
        {
            reader = new Reader(Path, FileAccessMode.MemoryMapped);
        }
        catch (Exception e) when (e is InvalidDatabaseException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CountryDatabaseException($"Geo:CountryDatabase {named} cannot be read as a MaxMind (.mmdb) database: {e.Message}");
        }
    }

    public string Path { get; }

    /// <summary>ip-location-db's build, GeoLite2-Country … as the file's metadata names it.</summary>
    public string DatabaseType => reader.Metadata.DatabaseType;

    public DateTime BuildDate => reader.Metadata.BuildDate;

    /// <summary>The ISO 3166-1 alpha-2 code (upper case) of the country of <paramref name="address"/>, or null when the database has none.</summary>
    public string? CountryOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && reader.Metadata.IPVersion == 4)
        {
            return null;
        }

        CountryRecord? record;
        try
        {
            record = reader.Find<CountryRecord>(address);
        }
        catch (InvalidDatabaseException)
        {
            // A damaged record: no country rather than a crash mid-round; the check reports "not known".
            return null;
        }

        var code = record?.CountryCode ?? record?.Country?.IsoCode ?? record?.RegisteredCountry?.IsoCode;
        return string.IsNullOrWhiteSpace(code) ? null : code.Trim().ToUpperInvariant();
    }

    public void Dispose() => reader.Dispose();

    /// <summary>The fields of a country record that either database shape may carry; absent keys stay null.</summary>
    internal sealed class CountryRecord
    {
        [Constructor]
        public CountryRecord(
            [MapKey("country_code")] string? countryCode = null,
            [MapKey("country")] IsoCountry? country = null,
            [MapKey("registered_country")] IsoCountry? registeredCountry = null)
        {
            CountryCode = countryCode;
            Country = country;
            RegisteredCountry = registeredCountry;
        }

        public string? CountryCode { get; }
        public IsoCountry? Country { get; }
        public IsoCountry? RegisteredCountry { get; }
    }

    internal sealed class IsoCountry
    {
        [Constructor]
        public IsoCountry([MapKey("iso_code")] string? isoCode = null) => IsoCode = isoCode;

        public string? IsoCode { get; }
    }
}

/// <summary>The country database named by <c>Geo:CountryDatabase</c> is missing or unreadable: a start-up error, never a silent pass.</summary>
public sealed class CountryDatabaseException(string message) : Exception(message);
