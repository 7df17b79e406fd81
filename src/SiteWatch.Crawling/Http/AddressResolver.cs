using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace SiteWatch.Crawling.Http;

/// <summary>
/// Name resolution with <c>Network:DnsOverrides</c> first, and the address policy (SSRF guard).
/// Shared by the HTTP connect callback and, later, the hosting-location check.
/// </summary>
public sealed class AddressResolver(IOptions<NetworkOptions> options)
{
    private readonly NetworkOptions network = options.Value;

    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        if (network.DnsOverrides.TryGetValue(host, out var listed))
        {
            return listed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(IPAddress.Parse).ToArray();
        }

        // RFC 6761: names under .invalid never resolve; answering at once keeps such links off the wire.
        if (host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase) || host.Equals("invalid", StringComparison.OrdinalIgnoreCase))
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        return await Dns.GetHostAddressesAsync(host, ct);
    }

    /// <summary>Where a connection for host:port really goes, after ConnectTo and resolution.</summary>
    public async Task<IPEndPoint[]> EndPointsAsync(string host, int port, CancellationToken ct)
    {
        if (network.ConnectTo.TryGetValue(host, out var target))
        {
            return [IPEndPoint.Parse(target)];
        }

        var addresses = await ResolveAsync(host, ct);
        return addresses.Select(a => new IPEndPoint(a, port)).ToArray();
    }

    /// <summary>Throws <see cref="BlockedAddressException"/> when the guard refuses any of the addresses.</summary>
    public void Guard(string host, IEnumerable<IPAddress> addresses)
    {
        if (network.AllowPrivateAddresses)
        {
            return;
        }

        foreach (var address in addresses)
        {
            if (IsPrivate(address))
            {
                throw new BlockedAddressException(host, address);
            }
        }
    }

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // carrier-grade NAT
                || b[0] == 0;
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
    }
}

/// <summary>The SSRF guard refused an address; turned into a value (<c>Blocked</c>) by the fetcher.</summary>
public sealed class BlockedAddressException(string host, IPAddress address)
    : Exception($"{host} resolves to {address}, a private/loopback address; set Network:AllowPrivateAddresses=true to inspect intranet sites")
{
    public string Host { get; } = host;
    public IPAddress Address { get; } = address;
}
