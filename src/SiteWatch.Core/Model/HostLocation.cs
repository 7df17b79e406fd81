namespace SiteWatch.Core.Model;

/// <summary>
/// Where one of the site's own hosts is served from: every address its name resolved to (A and AAAA), each with
/// the country the country database gives for it. <see cref="Error"/> is set when the name did not resolve.
/// </summary>
public sealed record HostLocation
{
    public required string Host { get; init; }

    public IReadOnlyList<AddressLocation> Addresses { get; init; } = [];

    /// <summary>Why no address is known, in plain words (e.g. "name resolution failed: host not found").</summary>
    public string? Error { get; init; }
}

/// <summary>One address of a host and what is known about where it is.</summary>
public sealed record AddressLocation
{
    /// <summary>The address as text (IPv4 dotted, IPv6 compressed).</summary>
    public required string Address { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code, upper case; null when the address is private or not in the country database.</summary>
    public string? Country { get; init; }

    /// <summary>Loopback, private, link-local or carrier-grade NAT: an address with no country.</summary>
    public bool IsPrivate { get; init; }
}
