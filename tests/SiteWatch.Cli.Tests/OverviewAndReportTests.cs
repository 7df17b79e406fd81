using System.Net;
using ClosedXML.Excel;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Cli.Tests;

/// <summary>
/// The overview's pass rates and the round page's 通报 download (WebEndpoints) through the real host, on a complete
/// website round put in through the stores: 临江县 — A with a veto (不合格), B clean; 青山县 — C with one dead link
/// (2 points, still 合格). So 临江县 50.0 %, 青山县 100.0 %, the province 66.7 %.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class OverviewAndReportTests : IAsyncLifetime
{
    private const string RoundId = "2026Q4";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));
    private WebHost host = null!;

    public async Task InitializeAsync()
    {
        host = await WebHost.BuildAsync();
        await host.Get<TargetStore>().UpsertAsync(
            [Site("4306260001", "临江县人民政府", "临江县"), Site("4306260002", "临江县教育局", "临江县"), Site("4306270001", "青山县人民政府", "青山县")],
            dryRun: false, CancellationToken.None);
        var rounds = host.Get<RoundStore>();
        await rounds.CreateAsync(new Round
        {
            Id = RoundId, Kind = TargetKind.Website, AsOf = AsOf, SampleFraction = 1, Seed = 1, Status = RoundStatus.Running, CreatedAt = AsOf,
        }, ["4306260001", "4306260002", "4306270001"], CancellationToken.None);
        await rounds.CompleteTargetAsync(RoundId, "4306260001", [Finding("stale-homepage", Severity.Veto, "http://www.4306260001.gov.cn/")], [], null, CancellationToken.None);
        await rounds.CompleteTargetAsync(RoundId, "4306260002", [], [], null, CancellationToken.None);
        await rounds.CompleteTargetAsync(RoundId, "4306270001", [Finding("dead-link", Severity.Deduct, "http://www.4306270001.gov.cn/gone.html")], [], null, CancellationToken.None);
        Assert.True(await rounds.TryCompleteAsync(RoundId, null, CancellationToken.None));
        await host.StartAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Overview_ShowsThePassRateOfEachRegionAndTheProvince_ForTheLatestCompleteRound()
    {
        using var office = await host.LoginAsync("office");

        var page = await office.GetStringAsync("/");

        Assert.Contains("<tr><td>临江县</td><td>2</td><td>1</td><td>50.0%</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td>青山县</td><td>1</td><td>1</td><td>100.0%</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td><b>全省合计 Province total</b></td><td>3</td><td>2</td><td>66.7%</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains("<code>stale-homepage</code></td><td>1</td>", page, StringComparison.Ordinal); // the findings by check stay
        Assert.Contains("新媒体 Accounts</h3><p>尚无已完成的轮次", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_CountsOnlyTheWebmastersOwnTargets()
    {
        using var webmaster = await host.LoginAsync("linjiang");

        var page = await webmaster.GetStringAsync("/");

        Assert.Contains("<tr><td>临江县</td><td>1</td><td>0</td><td>0.0%</td></tr>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("青山县", page, StringComparison.Ordinal);
        Assert.DoesNotContain("全省合计", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportDownload_SendsTheNotificationWorkbook_ToTheGeneralOffice()
    {
        using var office = await host.LoginAsync("office");
        using var inspector = await host.LoginAsync("inspector");

        var round = await office.GetStringAsync($"/rounds/{RoundId}");
        using var answer = await office.GetAsync($"/rounds/{RoundId}/report.xlsx");
        var byInspector = await inspector.GetAsync($"/rounds/{RoundId}/report.xlsx");

        Assert.Contains($"<form method=\"get\" action=\"/rounds/{RoundId}/report.xlsx\"><button>下载通报", round, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", answer.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"通报-{RoundId}.xlsx", answer.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Contains("filename*=UTF-8''", answer.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        using var workbook = new XLWorkbook(new MemoryStream(await answer.Content.ReadAsByteArrayAsync()));
        var overview = workbook.Worksheet("总体情况");
        var total = overview.RowsUsed().Single(r => r.Cell(1).GetString() == "全省合计");
        Assert.Equal((3, 2), (total.Cell(2).GetValue<int>(), total.Cell(3).GetValue<int>()));
        Assert.Equal(HttpStatusCode.OK, byInspector.StatusCode);
    }

    [Fact]
    public async Task ReportDownload_IsForbidden_ToAWebmaster()
    {
        using var webmaster = await host.LoginAsync("linjiang");

        var round = await webmaster.GetStringAsync($"/rounds/{RoundId}");
        var answer = await webmaster.GetAsync($"/rounds/{RoundId}/report.xlsx");

        Assert.DoesNotContain("report.xlsx", round, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
    }

    [Fact]
    public async Task AnnualDownload_SendsTheYearsTables_ToTheGeneralOffice_ButNotToAWebmaster()
    {
        using var office = await host.LoginAsync("office");
        using var webmaster = await host.LoginAsync("linjiang");

        var overview = await office.GetStringAsync("/");
        using var answer = await office.GetAsync("/annual/2026.xlsx");
        var forbidden = await webmaster.GetAsync("/annual/2026.xlsx");

        Assert.Contains("<a href=\"/annual/2026.xlsx\">2026</a>", overview, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("filename*=UTF-8''%E5%B9%B4%E5%BA%A6%E6%8A%A5%E8%A1%A8-2026.xlsx", answer.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        using var workbook = new XLWorkbook(new MemoryStream(await answer.Content.ReadAsByteArrayAsync()));
        var year = workbook.Worksheet("监管年度报表").RowsUsed().Single(r => r.Cell(1).GetString() == "全年");
        Assert.Equal([1, 3, 1], new[] { 2, 4, 5 }.Select(c => year.Cell(c).GetValue<int>())); // one round, three sites inspected, one with a veto
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static Target Site(string id, string name, string region) => new()
    {
        Id = id, Kind = TargetKind.Website, Name = name, Url = $"http://www.{id}.gov.cn/",
        Organization = id == "4306260001" ? "临江县人民政府办公室" : name + "办公室", Region = region, SiteCode = id,
    };

    private static Finding Finding(string check, Severity severity, string subject) => new()
    {
        Check = check, Severity = severity, Url = subject, Subject = subject, Detail = "测试 test", ObservedAt = AsOf,
    };
}
