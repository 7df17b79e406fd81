using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SiteWatch.Crawling;
using SiteWatch.Reports;
using SiteWatch.Rules;
using SiteWatch.Scheduling;
using SiteWatch.Storage;

namespace SiteWatch.TestKit;

/// <summary>
/// The real SiteWatch services over a temporary SQLite file, with loopback allowed, fast retries and the test
/// country database of <see cref="TestGeo"/>.
/// </summary>
public sealed class TestServices : IAsyncDisposable
{
    private readonly TempFolder folder = new();

    public TestServices(IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:Database"] = folder.File("sitewatch.db"),
            ["Rules:Directory"] = RepoPaths.Rules,
            ["Network:AllowPrivateAddresses"] = "true",
            ["Crawler:RetryBaseDelayMilliseconds"] = "50",
            ["Geo:CountryDatabase"] = TestGeo.WriteDatabase(folder.File("country.mmdb")),
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        Configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSiteWatchRules(Configuration);
        services.AddSiteWatchStorage(Configuration);
        services.AddSiteWatchCrawling(Configuration);
        services.AddSiteWatchReports(Configuration);
        services.AddSiteWatchScheduling(Configuration);
        Provider = services.BuildServiceProvider();
    }

    public IConfiguration Configuration { get; }

    public ServiceProvider Provider { get; }

    public string DatabasePath => folder.File("sitewatch.db");

    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    public async Task<TestServices> MigrateAsync()
    {
        await Get<Migrator>().MigrateAsync(CancellationToken.None);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }
}
