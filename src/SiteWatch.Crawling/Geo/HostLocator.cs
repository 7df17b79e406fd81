using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Http;

namespace SiteWatch.Crawling.Geo;

/// <summary>
/// Where a host is served from: its addresses (A and AAAA, <c>Network:DnsOverrides</c> first) and each one's
/// country. A host with <c>Network:ConnectTo</c> and no DnsOverrides entry is located at its ConnectTo address,
/// where its connections really go, and no DNS query is sent for it.
/// </summary>
public sealed class HostLocator(AddressResolver resolver, CountryDatabase countries, IOptions<NetworkOptions> network, IOptions<CrawlerOptions> crawler)
{
    private readonly NetworkOptions network = network.Value;
    private readonly TimeSpan timeout = TimeSpan.FromSeconds(crawler.Value.RequestTimeoutSeconds);

    public async Task<HostLocation> LocateAsync(string host, CancellationToken ct)
    {
        IPAddress[] addresses;
        if (!network.DnsOverrides.ContainsKey(host) && network.ConnectTo.TryGetValue(host, out var connectTo)
            && IPEndPoint.TryParse(connectTo, out var endPoint))
        {
            addresses = [endPoint.Address];
        }
        else
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                addresses = await resolver.ResolveAsync(host, limit.Token);
            }
            catch (SocketException e)
            {
                return new HostLocation { Host = host, Error = $"name resolution failed: {Describe(e)}" };
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return new HostLocation { Host = host, Error = $"name resolution gave no answer within {timeout.TotalSeconds:0} s" };
            }
            catch (FormatException e)
            {
                return new HostLocation { Host = host, Error = $"Network:DnsOverrides:{host} is not a list of IP addresses: {e.Message}" };
            }
        }

        var located = addresses
            .Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)
            .Distinct()
            .Select(a => AddressResolver.IsPrivate(a)
                ? new AddressLocation { Address = a.ToString(), IsPrivate = true }
                : new AddressLocation { Address = a.ToString(), Country = countries.CountryOf(a) })
            .ToList();
        return located.Count == 0
            ? new HostLocation { Host = host, Error = "name resolution returned no address" }
            : new HostLocation { Host = host, Addresses = located };
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData => "host name not found",
        SocketError.TryAgain => "no answer from the name server",
        _ => e.Message,
    };
}
