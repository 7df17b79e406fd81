using SiteWatch.Core.Model;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Storage.Tests;

public sealed class TargetStoreTests
{
    [Fact]
    public async Task UpsertAsync_AddsThenUpdatesById_AndDryRunChangesNothing()
    {
        await using var services = await new TestServices().MigrateAsync();
        var store = services.Get<TargetStore>();
        var hunan = Site("4300000001", "湖南省人民政府");

        Assert.Equal((1, 0), await store.UpsertAsync([hunan], dryRun: false, CancellationToken.None));
        Assert.Equal((1, 1), await store.UpsertAsync([hunan with { Name = "湖南省人民政府门户网站" }, Site("4200000001", "湖北省人民政府")], dryRun: true, CancellationToken.None));
        Assert.Equal("湖南省人民政府", Assert.Single(await store.ListAsync(CancellationToken.None)).Name);

        Assert.Equal((0, 1), await store.UpsertAsync([hunan with { Name = "湖南省人民政府门户网站" }], dryRun: false, CancellationToken.None));
        Assert.Equal("湖南省人民政府门户网站", Assert.Single(await store.ListAsync(CancellationToken.None)).Name);
    }

    private static Target Site(string id, string name) => new()
    {
        Id = id, Kind = TargetKind.Website, Name = name, Url = "https://www.hunan.gov.cn/", Organization = name + "办公厅",
        Region = "湖南省", SiteCode = id, Level = "省级",
    };
}
