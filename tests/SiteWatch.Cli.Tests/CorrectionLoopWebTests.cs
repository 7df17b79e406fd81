using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using netDumbster.smtp;
using Microsoft.AspNetCore.Http;
using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Cli.Tests;

/// <summary>
/// The correction loop through the real Kestrel host and the service's Hangfire worker: a webmaster sees the open
/// findings of their organization only, marks one fixed with the form, and the queued re-check verifies it against the
/// fixture site; deadlines past are shown overdue; only admins and inspectors may ask for a re-check.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed partial class CorrectionLoopWebTests : IAsyncLifetime
{
    private const string Host = "www.linjiang.gov.cn";
    private readonly List<string> links = ["/gone-a.html"];
    private readonly TempFolder output = new();
    private FakeSite site = null!;
    private WebHost host = null!;
    private SimpleSmtpServer smtp = null!;

    public async Task InitializeAsync()
    {
        site = await FakeSite.StartAsync(s => s
            .Handle("/", async c =>
            {
                var today = TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                c.Response.ContentType = "text/html; charset=utf-8";
                await c.Response.WriteAsync($"""
                    <html><head><title>临江县人民政府</title></head><body>
                    <ul>{string.Concat(links.Select(l => $"<li><a href=\"{l}\">通知公告</a> <span>{today}</span></li>"))}<li><a href="/ok.html">要闻</a> <span>{today}</span></li></ul>
                    <p>网站标识码：4306260001 湘ICP备05001234号 湘公网安备 43062602000123号</p><img alt="党政机关" src="/b.png"></body></html>
                    """);
            })
            .Page("/ok.html", "<html><body><p>要闻</p></body></html>")
            .Raw("/b.png", [0x89, 0x50], "image/png"));
        var smtpPort = FreePort();
        smtp = SimpleSmtpServer.Start(smtpPort);
        host = await WebHost.BuildAsync(new Dictionary<string, string?>
        {
            ["Mail:Host"] = "127.0.0.1",
            ["Mail:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:Security"] = "none",
            ["Mail:From"] = "jc@gov.example.cn",
            ["Reports:Output"] = output.Path,
            ["Network:AllowPrivateAddresses"] = "true",
            [$"Network:ConnectTo:{Host}"] = site.EndPoint,
            [$"Network:DnsOverrides:{Host}"] = TestGeo.China,
        });
        await host.Get<TargetStore>().UpsertAsync(
        [
            Site("4306260001", $"http://{Host}/", "临江县人民政府办公室") with { ContactEmail = "web@linjiang.gov.cn" },
            Site("4306260002", "http://www.qingshan.gov.cn/", "青山县人民政府办公室"),
        ], dryRun: false, CancellationToken.None);

        // A real round of the Linjiang site; the other organization's finding is stored directly, its notice overdue.
        var runner = host.Get<RoundRunner>();
        var now = TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        var round = await runner.PrepareAsync(new RoundRequest { TargetIds = ["4306260001", "4306260002"], AsOf = now, RoundId = "2026Q4" }, CancellationToken.None);
        await host.Get<RoundStore>().CompleteTargetAsync("2026Q4", "4306260002", [new Finding
        {
            Check = "dead-link", Severity = Severity.Deduct, Url = "http://www.qingshan.gov.cn/", Subject = "http://www.qingshan.gov.cn/gone-qingshan.html",
            Detail = "HTTP 404", ObservedAt = now,
        }], [], null, CancellationToken.None);
        Assert.True(await runner.RunAsync(round, progress: null, CancellationToken.None));
        await host.Get<CorrectionStore>().NotifyAsync("2026Q4", "4306260002", DateOnly.FromDateTime(now.DateTime).AddDays(-1),
            CorrectionStore.SystemActor, null, CancellationToken.None);
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await site.DisposeAsync();
        smtp.Dispose();
        output.Dispose();
    }

    [Fact]
    public async Task RoundPage_IssuesTheNotices_MailsThem_AndRecordsEachAsNotified()
    {
        using var inspector = await host.LoginAsync("inspector");
        using var webmaster = await host.LoginAsync("linjiang");

        var id = FindingLink().Match(await webmaster.GetStringAsync("/notices")).Groups[1].Value;
        var forbidden = await WebHost.PostFormAsync(webmaster, $"/findings/{id}", "/rounds/2026Q4/notices", new Dictionary<string, string> { ["mail"] = "on" });
        var issued = await WebHost.PostFormAsync(inspector, "/rounds/2026Q4", "/rounds/2026Q4/notices", new Dictionary<string, string> { ["mail"] = "on" });
        var page = await issued.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Contains("已发送至 mailed to web@linjiang.gov.cn", page, StringComparison.Ordinal);
        Assert.Contains("未发送 not mailed: no valid contact_email in the registry", page, StringComparison.Ordinal); // 青山 has no address
        Assert.True(File.Exists(Path.Combine(output.Path, "2026Q4", "通报-2026Q4.xlsx")));
        var mail = Assert.Single(smtp.ReceivedEmail);
        Assert.Equal("web@linjiang.gov.cn", mail.ToAddresses.Single().Address);
        var finding = await webmaster.GetStringAsync($"/findings/{id}");
        Assert.Contains("<th>状态 State</th><td>已通知 notified</td>", finding, StringComparison.Ordinal);
        Assert.Contains("整改通知已发送至 mailed to web@linjiang.gov.cn", finding, StringComparison.Ordinal);
        var notice = await webmaster.GetAsync($"/rounds/2026Q4/targets/4306260001/notice.xlsx");
        Assert.Equal(HttpStatusCode.OK, notice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await webmaster.GetAsync("/rounds/2026Q4/targets/4306260002/notice.xlsx")).StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Webmaster_MarksAFindingFixed_AndTheQueuedRecheckVerifiesIt()
    {
        using var webmaster = await host.LoginAsync("linjiang");
        var notices = await webmaster.GetStringAsync("/notices");
        Assert.Contains($"http://{Host}/gone-a.html", notices, StringComparison.Ordinal);
        Assert.DoesNotContain("gone-qingshan", notices, StringComparison.Ordinal);
        var id = FindingLink().Matches(notices).Select(m => m.Groups[1].Value).Single();
        var page = await webmaster.GetStringAsync($"/findings/{id}");
        Assert.Contains("标记已整改", page, StringComparison.Ordinal);

        var forged = await WebHost.PostFormAsync(webmaster, null, $"/findings/{id}/fixed", new Dictionary<string, string> { ["comment"] = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        links.Clear(); // the webmaster removes the dead link
        var claimed = await WebHost.PostFormAsync(webmaster, $"/findings/{id}", $"/findings/{id}/fixed", new Dictionary<string, string> { ["comment"] = "已删除失效链接" });
        Assert.Equal(HttpStatusCode.Redirect, claimed.StatusCode);

        var verified = await PollAsync(async () => await webmaster.GetStringAsync($"/findings/{id}") is var p && p.Contains("<th>状态 State</th><td>复查通过 verified</td>", StringComparison.Ordinal) ? p : null);
        Assert.Matches("发现 found.*已整改待复查 claimed fixed</td><td>linjiang</td>\\s*<td>已删除失效链接.*复查通过 verified</td><td>sitewatch</td>", verified.ReplaceLineEndings(""));
        Assert.DoesNotContain("标记已整改", verified, StringComparison.Ordinal); // closed: no form any more
        Assert.Contains("0 条 findings", await webmaster.GetStringAsync("/notices"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webmaster_Gets404ForAnotherOrganizationsFinding_AndCannotAskForARecheck()
    {
        using var office = await host.LoginAsync("office");
        using var webmaster = await host.LoginAsync("linjiang");
        var all = await office.GetStringAsync("/notices");
        var others = FindingLink().Matches(all).Select(m => m.Groups[1].Value).ToList();
        var theirs = others.Single(id => office.GetStringAsync($"/findings/{id}").Result.Contains("gone-qingshan", StringComparison.Ordinal));
        var own = FindingLink().Match(await webmaster.GetStringAsync("/notices")).Groups[1].Value;

        Assert.Equal(HttpStatusCode.NotFound, (await webmaster.GetAsync($"/findings/{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await WebHost.PostFormAsync(webmaster, $"/findings/{own}", $"/findings/{theirs}/fixed",
            new Dictionary<string, string> { ["comment"] = "not mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await WebHost.PostFormAsync(webmaster, $"/findings/{own}", "/targets/4306260001/recheck", new Dictionary<string, string>())).StatusCode);
    }

    [Fact]
    public async Task Notices_ShowAPastDeadlineAsOverdue_AndAnInspectorMayAskForARecheck()
    {
        using var inspector = await host.LoginAsync("inspector");

        var overdue = await inspector.GetStringAsync("/notices?state=overdue");
        var page = await inspector.GetStringAsync("/notices");
        var recheck = await WebHost.PostFormAsync(inspector, "/notices", "/targets/4306260002/recheck", new Dictionary<string, string>());

        Assert.Contains("gone-qingshan", overdue, StringComparison.Ordinal);
        Assert.DoesNotContain("gone-a.html", overdue, StringComparison.Ordinal);
        Assert.Contains("<strong>逾期 overdue</strong>", overdue, StringComparison.Ordinal);
        Assert.Contains("1 逾期 overdue", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, recheck.StatusCode);
        var overview = await inspector.GetStringAsync("/");
        Assert.Contains("未整改问题 Open findings", overview, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/notices?state=overdue\">1 逾期 overdue</a>", overview, StringComparison.Ordinal);
    }

    private static async Task<string> PollAsync(Func<Task<string?>> probe)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(40);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (await probe() is { } done)
            {
                return done;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("the re-check did not settle the finding within 40 s");
    }

    private static Target Site(string id, string url, string organization) => new()
    {
        Id = id, Kind = TargetKind.Website, Name = organization.Replace("办公室", "", StringComparison.Ordinal), Url = url, Organization = organization,
        Region = organization[..3], SiteCode = id,
    };

    [GeneratedRegex("<a href=\"/findings/(\\d+)\">")]
    private static partial Regex FindingLink();
}
