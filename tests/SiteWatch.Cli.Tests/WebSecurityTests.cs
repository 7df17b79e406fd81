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
    public async Task JobsDashboard_IsForAdminsOnly()
    {
        using var inspector = await WebLogin.ClientAsync(address, "inspector");
        using var office = await WebLogin.ClientAsync(address, "office");

        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync("/jobs")).StatusCode);
    }

    private static Target Site(string id, string organization) => new()
    {
        Id = id, Kind = TargetKind.Website, Name = organization, Url = $"http://www.{id}.gov.cn/", Organization = organization, Region = "临江市", SiteCode = id,
    };
}
