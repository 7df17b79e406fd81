using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Cli.Commands;
using SiteWatch.Core.Model;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Cli.Tests;

/// <summary>
/// The web pages through the real Kestrel host: login with anti-forgery, cookie flags, the admin-only dashboard, and a
/// webmaster who cannot read another organization's findings by changing an id.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class WebSecurityTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));
    private readonly TempFolder folder = new();
    private WebApplication app = null!;
    private string address = "";

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Geo:CountryDatabase"] = TestGeo.WriteDatabase(folder.File("country.mmdb")),
            ["Logging:Folder"] = folder.File("logs"),
            ["Service:ProbeCron"] = "",
        };
        app = await ServeCommandHandler.BuildAsync(new GlobalOptions(folder.File("web.db"), null, RepoPaths.Rules, null, false) { Overrides = settings },
            "http://127.0.0.1:0", CancellationToken.None);
        var targets = app.Services.GetRequiredService<TargetStore>();
        await targets.UpsertAsync([Site("4306260001", "临江县人民政府办公室"), Site("4306260002", "青山县人民政府办公室")], dryRun: false, CancellationToken.None);
        var rounds = app.Services.GetRequiredService<RoundStore>();
        await rounds.CreateAsync(new Round
        {
            Id = "2026Q4", Kind = TargetKind.Website, AsOf = AsOf, SampleFraction = 1, Seed = 1, Status = RoundStatus.Running, CreatedAt = AsOf,
        }, ["4306260001", "4306260002"], CancellationToken.None);
        foreach (var (id, subject) in new[] { ("4306260001", "http://www.a.gov.cn/gone-linjiang.html"), ("4306260002", "http://www.b.gov.cn/gone-qingshan.html") })
        {
            await rounds.CompleteTargetAsync("2026Q4", id, [new Finding
            {
                Check = "dead-link", Severity = Severity.Deduct, Url = subject, Subject = subject, Detail = "HTTP 404", ObservedAt = AsOf,
            }], [], null, CancellationToken.None);
        }

        var probes = app.Services.GetRequiredService<ProbeStore>();
        for (var i = 0; i < 10; i++)
        {
            await probes.AddAsync(new Probe("4306260001", AsOf.AddHours(-3 * (i + 1)), i != 0, i != 0 ? 200 : 503, 30, i != 0 ? null : "HTTP 503"), CancellationToken.None);
        }

        var users = app.Services.GetRequiredService<UserStore>();
        await WebLogin.AddUserAsync(users, "office", Roles.Admin);
        await WebLogin.AddUserAsync(users, "inspector", Roles.Inspector);
        await WebLogin.AddUserAsync(users, "linjiang", Roles.Webmaster, "临江县人民政府办公室");
        await app.StartAsync();
        address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task Pages_SendAnonymousVisitorsToTheLogin_ButHealthzAnswers()
    {
        using var anonymous = WebLogin.Anonymous(address);

        var page = await anonymous.GetAsync("/rounds/2026Q4");
        var health = await anonymous.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Login_RefusesAWrongPassword_AndAFormWithoutTheAntiForgeryToken_AndSetsAStrictHttpOnlyCookie()
    {
        using var client = WebLogin.Anonymous(address);

        var wrong = await WebLogin.PostLoginAsync(client, "office", "not the password");
        var forged = await WebLogin.PostLoginAsync(client, "office", WebLogin.Password, withToken: false);
        var good = await WebLogin.PostLoginAsync(client, "office", WebLogin.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var cookie = good.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sitewatch=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webmaster_SeesOnlyTheirOrganization_AndGets404ForAnotherOnesTarget()
    {
        using var webmaster = await WebLogin.ClientAsync(address, "linjiang");
        using var office = await WebLogin.ClientAsync(address, "office");

        var own = await webmaster.GetStringAsync("/rounds/2026Q4/targets/4306260001");
        var other = await webmaster.GetAsync("/rounds/2026Q4/targets/4306260002");
        var round = await webmaster.GetStringAsync("/rounds/2026Q4");
        var all = await office.GetStringAsync("/rounds/2026Q4/targets/4306260002");

        Assert.Contains("gone-linjiang.html", own, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain("4306260002", round, StringComparison.Ordinal);
        Assert.Contains("gone-qingshan.html", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoundPage_ShowsEachSitesAvailability_AndFindingsFilterByCheckAndSeverity()
    {
        using var office = await WebLogin.ClientAsync(address, "office");

        var round = await office.GetStringAsync("/rounds/2026Q4");
        var deadLinks = await office.GetStringAsync("/rounds/2026Q4/targets/4306260001?check=dead-link");
        var vetoes = await office.GetStringAsync("/rounds/2026Q4/targets/4306260001?severity=veto");

        Assert.Contains("90.0% (10 probes)", round, StringComparison.Ordinal);
        Assert.Contains("<p>1 findings</p>", deadLinks, StringComparison.Ordinal);
        Assert.Contains("gone-linjiang.html", deadLinks, StringComparison.Ordinal);
        Assert.Contains("<p>0 findings</p>", vetoes, StringComparison.Ordinal);
        Assert.DoesNotContain("gone-linjiang.html", vetoes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsDashboard_IsForAdminsOnly()
    {
        using var inspector = await WebLogin.ClientAsync(address, "inspector");
        using var office = await WebLogin.ClientAsync(address, "office");

        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync("/jobs")).StatusCode);
    }

    [Fact]
    public async Task ImportUpload_AddsAGoodFile_NamesEveryBadRow_AndIsForAdminsWithTheToken()
    {
        using var office = await WebLogin.ClientAsync(address, "office");
        using var inspector = await WebLogin.ClientAsync(address, "inspector");
        const string header = "id,kind,name,url,organization,region,site_code";
        var good = $"{header}\n4306260003,website,东湖区人民政府,http://www.donghu.gov.cn/,东湖区人民政府办公室,东湖区,4306260003\n";
        var bad = $"{header}\n4306260004,website,西湖区人民政府,not a url,西湖区人民政府办公室,西湖区,4306260004\n";

        var refused = await UploadAsync(office, "bad.csv", bad);
        var added = await UploadAsync(office, "good.csv", good);
        var byInspector = await UploadAsync(inspector, "good.csv", good);
        var withoutToken = await office.PostAsync("/targets/import", new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(good)), "file", "good.csv" } });
        var list = await office.GetStringAsync("/targets?q=东湖");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("bad.csv:2: url &#x27;not a url&#x27; is not an absolute http(s) address", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()).Replace("'", "&#x27;", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("1 added, 0 updated from good.csv", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byInspector.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Contains("http://www.donghu.gov.cn/", list, StringComparison.Ordinal);
        Assert.DoesNotContain("4306260004", list, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, string csv)
    {
        var page = await client.GetStringAsync("/targets");
        var token = System.Text.RegularExpressions.Regex.Match(page, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", name },
        };
        if (token.Success)
        {
            form.Add(new StringContent(WebUtility.HtmlDecode(token.Groups[2].Value)), token.Groups[1].Value);
        }

        return await client.PostAsync("/targets/import", form);
    }

    private static Target Site(string id, string organization) => new()
    {
        Id = id, Kind = TargetKind.Website, Name = organization, Url = $"http://www.{id}.gov.cn/", Organization = organization, Region = "临江市", SiteCode = id,
    };
}
