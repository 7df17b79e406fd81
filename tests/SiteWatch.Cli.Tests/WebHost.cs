using System.Net;
using System.Text.RegularExpressions;
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
/// `serve` on loopback with a real SQLite file in a temp folder and no crawling (probes off): the web tests put
/// targets, rounds and schedules in through the stores before <see cref="StartAsync"/>. Users: office (admin),
/// inspector, linjiang (webmaster of 临江县人民政府办公室).
/// </summary>
internal sealed partial class WebHost : IAsyncDisposable
{
    private readonly TempFolder folder;

    private WebHost(WebApplication app, TempFolder folder)
    {
        App = app;
        this.folder = folder;
    }

    public WebApplication App { get; }

    public string Address { get; private set; } = "";

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="extra">More settings (e.g. Network:ConnectTo for a fixture site the service crawls).</param>
    public static async Task<WebHost> BuildAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var folder = new TempFolder();
        var settings = new Dictionary<string, string?>
        {
            ["Geo:CountryDatabase"] = TestGeo.WriteDatabase(folder.File("country.mmdb")),
            ["Logging:Folder"] = folder.File("logs"),
            ["Service:ProbeCron"] = "",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = await ServeCommandHandler.BuildAsync(new GlobalOptions(folder.File("web.db"), null, RepoPaths.Rules, null, false) { Overrides = settings },
            "http://127.0.0.1:0", CancellationToken.None);
        var host = new WebHost(app, folder);
        var users = host.Get<UserStore>();
        await WebLogin.AddUserAsync(users, "office", Roles.Admin);
        await WebLogin.AddUserAsync(users, "inspector", Roles.Inspector);
        await WebLogin.AddUserAsync(users, "linjiang", Roles.Webmaster, "临江县人民政府办公室");
        return host;
    }

    public async Task StartAsync()
    {
        await App.StartAsync();
        Address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public Task<HttpClient> LoginAsync(string name) => WebLogin.ClientAsync(Address, name);

    /// <summary>Posts a form with the anti-forgery token of the page at <paramref name="formPage"/> (none when null).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string? formPage, string action, IReadOnlyDictionary<string, string> fields)
    {
        var values = new Dictionary<string, string>(fields);
        if (formPage is not null)
        {
            var token = TokenField().Match(await client.GetStringAsync(formPage));
            Assert.True(token.Success, $"no anti-forgery token on {formPage}");
            values[token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value);
        }

        return await client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex TokenField();
}
