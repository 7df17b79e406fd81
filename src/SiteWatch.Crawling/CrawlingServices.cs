using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SiteWatch.Crawling.Http;
using SiteWatch.Crawling.Site;

namespace SiteWatch.Crawling;

public static class CrawlingServices
{
    /// <summary>The HTTP fetcher, politeness limiter, round link cache and site crawler, bound to <c>Crawler</c> and <c>Network</c>.</summary>
    public static IServiceCollection AddSiteWatchCrawling(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CrawlerOptions>(configuration.GetSection(CrawlerOptions.Section));
        services.Configure<NetworkOptions>(configuration.GetSection(NetworkOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AddressResolver>();
        services.AddSingleton<HostLimiter>();
        services.AddSingleton<CertificateRegistry>();
        services.AddSingleton<HttpFetcher>();
        services.AddSingleton<LinkCache>();
        services.AddSingleton<Gen0Governor>();
        services.AddSingleton<SiteCrawler>();
        return services;
    }
}
