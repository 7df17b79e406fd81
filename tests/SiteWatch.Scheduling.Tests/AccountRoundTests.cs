using System.Text;
using Microsoft.AspNetCore.Http;
using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Scheduling.Tests;

/// <summary>
/// An account round end to end: feeds from a stand-in RSSHub and a fixture m.weibo.cn (https, test certificate) on
/// loopback — a fresh and a sleeping feed, a zombie behind a recent pinned post, a deleted and a closed account, an
/// account the platform throttles until it is tried again later in the round, and one organization with two accounts.
/// </summary>
public sealed class AccountRoundTests : IDisposable
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task RunAsync_ReportsEachAccountFinding_RetriesTheThrottledOne_AndStoresActivity()
    {
        var throttled = 0;
        using var root = TestCertificates.Authority();
        var now = TimeProvider.System.GetUtcNow();
        await using var weibo = await FakeSite.StartAsync(s => s
            .Handle("/api/container/getIndex", async c =>
            {
                var uid = c.Request.Query["value"].ToString();
                switch (uid)
                {
                    case "111":
                        await Json(c, Weibo(("Sun Nov 22 09:00:00 +0800 2026", true), ("Wed Jul 01 10:00:00 +0800 2026", false)));
                        break;
                    case "222":
                        c.Response.StatusCode = 404;
                        break;
                    case "333":
                        await Json(c, """{"ok":0,"msg":"用户不存在"}""");
                        break;
                    case "555" when Interlocked.Increment(ref throttled) <= 2:
                        c.Response.StatusCode = 418;
                        break;
                    case "555":
                        await Json(c, Weibo(("Fri Nov 20 18:30:00 +0800 2026", false)));
                        break;
                }
            }), TestCertificates.Leaf("m.weibo.cn", now.AddDays(-10), now.AddYears(1), root));
        await using var feeds = await FakeSite.StartAsync(s => s
            .Raw("/fresh.xml", Encoding.UTF8.GetBytes(Rss("Fri, 20 Nov 2026 08:00:00 +0800")), "application/rss+xml")
            .Raw("/sleepy.xml", Encoding.UTF8.GetBytes(Rss("Sun, 01 Nov 2026 02:00:00 GMT")), "application/rss+xml"));
        var rules = RulesWithoutWaiting();
        await using var services = await new TestServices(new Dictionary<string, string?>
        {
            ["Rules:Directory"] = rules,
            ["Network:ConnectTo:m.weibo.cn"] = weibo.EndPoint,
            ["Network:ConnectTo:feeds.linjiang.gov.cn"] = feeds.EndPoint,
            ["Network:ExtraTrustedRoots:0"] = TestCertificates.WritePem(root, folder.File("root.pem")),
        }).MigrateAsync();
        await services.Get<TargetStore>().UpsertAsync(
        [
            Account("rss:fresh", "rss", null, "http://feeds.linjiang.gov.cn/fresh.xml", "临江县教育局"),
            Account("rss:sleepy", "rss", null, "http://feeds.linjiang.gov.cn/sleepy.xml", "临江县卫健局"),
            Account("weibo:111", "weibo", "111", "https://m.weibo.cn/u/111", "临江县人民政府办公室"),
            Account("weibo:222", "weibo", "222", "https://m.weibo.cn/u/222", "临江县交通局"),
            Account("weibo:333", "weibo", "333", "https://m.weibo.cn/u/333", "临江县水利局"),
            Account("weibo:555", "weibo", "555", "https://m.weibo.cn/u/555", "临江县人民政府办公室"),
        ], dryRun: false, CancellationToken.None);
        var runner = services.Get<RoundRunner>();

        var round = await runner.PrepareAsync(new RoundRequest { All = true, Kind = TargetKind.Account, AsOf = AsOf }, CancellationToken.None);
        var complete = await runner.RunAsync(round, progress: null, CancellationToken.None);

        Assert.True(complete);
        var findings = (await services.Get<FindingStore>().ForRoundAsync(round.Id, CancellationToken.None))
            .Where(f => f.Finding.Check != "not-checked")
            .Select(f => $"{f.TargetId} {f.Finding.Check} {f.Finding.Subject}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            new[]
            {
                "rss:sleepy sleeping-account rss:sleepy",
                "weibo:111 duplicate-account weibo/临江县人民政府办公室",
                "weibo:111 zombie-account 111",
                "weibo:222 account-unreachable 222",
                "weibo:333 account-unreachable 333",
                "weibo:555 duplicate-account weibo/临江县人民政府办公室",
            },
            findings);
        Assert.True(throttled >= 3, "the throttled account was asked again later in the round");
        var activity = (await services.Get<RoundStore>().AccountActivityAsync(round.Id, CancellationToken.None)).ToDictionary(a => a.TargetId);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 18, 30, 0, TimeSpan.FromHours(8)), activity["weibo:555"].NewestPost);
        Assert.Equal(1, activity["weibo:555"].RecentPosts);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.FromHours(8)), activity["weibo:111"].NewestPost); // the pinned post is not the newest
        Assert.Equal(0, activity["weibo:111"].RecentPosts);
    }

    private string RulesWithoutWaiting()
    {
        var copy = folder.File("rules");
        foreach (var file in Directory.GetFiles(RepoPaths.Rules, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(RepoPaths.Rules, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Replace(Path.Combine(copy, "accounts.yaml"), "retry_later_seconds: 60", "retry_later_seconds: 1");
        Replace(Path.Combine(copy, "platforms", "weibo.yaml"), "retry_base_seconds: 20", "retry_base_seconds: 0");
        Replace(Path.Combine(copy, "platforms", "weibo.yaml"), "requests_per_minute: 12", "requests_per_minute: 6000");
        Replace(Path.Combine(copy, "platforms", "weibo.yaml"), "retries: 3", "retries: 1");
        return copy;

        static void Replace(string path, string from, string to)
        {
            var text = File.ReadAllText(path);
            Assert.Contains(from, text, StringComparison.Ordinal);
            File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
        }
    }

    private static Target Account(string id, string platform, string? account, string url, string organization) => new()
    {
        Id = id, Kind = TargetKind.Account, Name = $"{organization}{platform}", Url = url, Platform = platform, Account = account,
        Organization = organization, Region = "临江县",
    };

    private static string Weibo(params (string CreatedAt, bool Pinned)[] posts) =>
        """{"ok":1,"data":{"cards":[""" + string.Join(",", posts.Select((p, i) =>
            "{\"card_type\":9,\"mblog\":{\"id\":\"" + (i + 1) + "\",\"created_at\":\"" + p.CreatedAt + "\",\"text\":\"临江发布 第" + (i + 1)
            + "条\",\"isTop\":" + (p.Pinned ? 1 : 0) + "}}")) + "]}}";

    private static string Rss(string pubDate) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>临江</title><link>http://feeds.linjiang.gov.cn/</link><description>d</description>
        <item><title>工作动态</title><link>http://feeds.linjiang.gov.cn/a/1.html</link><pubDate>{pubDate}</pubDate><description>正文</description></item>
        </channel></rss>
        """;

    private static async Task Json(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json);
    }
}
