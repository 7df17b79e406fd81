using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Accounts;
using SiteWatch.Crawling.Browser;
using SiteWatch.Crawling.Geo;
using SiteWatch.Crawling.Http;
using SiteWatch.Crawling.Site;

namespace SiteWatch.Crawling;

public static class CrawlingServices
{
    /// <summary>
    /// The HTTP fetcher, politeness limiter, round link cache, country database and site crawler, bound to <c>Crawler</c>,
    /// <c>Network</c> and <c>Geo</c>. The country database opens when first needed (resolving the crawler), so commands
    /// that do not crawl run without it and <c>inspect</c> stops before crawling when it is missing. The page renderer
    /// (headless Chromium, section <c>Browser</c>) likewise starts its browser on the first render only.
    /// </summary>
    public static IServiceCollection AddSiteWatchCrawling(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CrawlerOptions>(configuration.GetSection(CrawlerOptions.Section));
        services.Configure<NetworkOptions>(configuration.GetSection(NetworkOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<GeoOptions>(configuration.GetSection(GeoOptions.Section));
        services.AddSingleton<AddressResolver>();
        services.AddSingleton(sp => new CountryDatabase(sp.GetRequiredService<IOptions<GeoOptions>>().Value.CountryDatabase));
        services.AddSingleton<HostLocator>();
        services.AddSingleton<HostLimiter>();
        services.AddSingleton<CertificateRegistry>();
        services.AddSingleton<HttpFetcher>();
        services.AddSingleton<LinkCache>();
        services.AddSingleton<Gen0Governor>();
        services.AddSingleton<SiteCrawler>();
        services.Configure<BrowserOptions>(configuration.GetSection(BrowserOptions.Section));
        services.AddSingleton<IPageRenderer, ChromiumRenderer>();

        // Resolved on the first render only: most rounds never open a browser, and constructing the renderer loads
        // Playwright's assemblies (~10 MB of a round's peak memory on the bench farm).
        services.AddSingleton(sp => new Lazy<IPageRenderer>(sp.GetRequiredService<IPageRenderer>));

        // New-media accounts: one reader per adapter kind of crawler-rules/platforms/*.yaml, paced per platform.
        services.AddSingleton<PlatformLimiter>();
        services.AddSingleton<AccountFetcher>();
        services.AddSingleton<IAccountReader, RssReader>();
        services.AddSingleton<IAccountReader, WeiboReader>();
        services.AddSingleton<IAccountReader, HtmlReader>();
        services.AddSingleton<IAccountReader, BrowserReader>();
        return services;
    }
}
