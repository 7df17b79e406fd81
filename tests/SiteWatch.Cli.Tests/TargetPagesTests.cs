using System.Net;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Import;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Cli.Tests;

/// <summary>
/// Adding and editing one target on /targets through the real host: saved through TargetStore, checked by the
/// importer's own row rules (a bad field answers with the importer's words and saves nothing), admins only.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class TargetPagesTests : IAsyncLifetime
{
    private WebHost host = null!;

    public async Task InitializeAsync()
    {
        host = await WebHost.BuildAsync();
        await host.Get<TargetStore>().UpsertAsync([new Target
        {
            Id = "4306260001", Kind = TargetKind.Website, Name = "临江县人民政府", Url = "http://www.linjiang.gov.cn/", Organization = "临江县人民政府办公室",
            Region = "临江县", SiteCode = "4306260001",
        }], dryRun: false, CancellationToken.None);
        await host.StartAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task AddAndEdit_SaveTheTarget_WhenAnAdminPostsValidFields()
    {
        using var office = await host.LoginAsync("office");
        var list = await office.GetStringAsync("/targets");

        var added = await WebHost.PostFormAsync(office, "/targets", "/targets", Donghu());
        var form = await office.GetStringAsync("/targets/4306260003/edit");
        var edited = await WebHost.PostFormAsync(office, "/targets/4306260003/edit", "/targets/4306260003/edit",
            new Dictionary<string, string>(Donghu()) { ["name"] = "东湖区人民政府门户网站", ["level"] = "county", ["contact_email"] = "web@donghu.gov.cn" });

        Assert.Contains("添加 Add", list, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/targets/4306260001/edit\">编辑 Edit</a>", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("value=\"东湖区人民政府\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var stored = (await host.Get<TargetStore>().GetManyAsync(["4306260003"], CancellationToken.None))["4306260003"];
        Assert.Equal(("东湖区人民政府门户网站", "县级", "web@donghu.gov.cn", "东湖区"), (stored.Name, stored.Level, stored.ContactEmail, stored.Region));
    }

    [Fact]
    public async Task AddAndEdit_ShowTheImportersMessageAndSaveNothing_WhenTheSiteCodeIsBad()
    {
        using var office = await host.LoginAsync("office");
        using var file = new TempFolder();
        var csv = file.File("bad.csv");
        await File.WriteAllTextAsync(csv, "kind,name,url,organization,region,site_code\nwebsite,东湖区人民政府,http://www.donghu.gov.cn/,东湖区人民政府办公室,东湖区,12345\n");
        var importer = TargetFileReader.Read(csv).Errors.Single()[(csv.Length + ":2: ".Length)..];

        var add = await WebHost.PostFormAsync(office, "/targets", "/targets", new Dictionary<string, string>(Donghu()) { ["site_code"] = "12345" });
        var edit = await WebHost.PostFormAsync(office, "/targets/4306260001/edit", "/targets/4306260001/edit",
            new Dictionary<string, string> { ["kind"] = "website", ["name"] = "改名", ["url"] = "http://www.linjiang.gov.cn/", ["organization"] = "临江县人民政府办公室", ["region"] = "临江县", ["site_code"] = "12345" });

        Assert.Equal("site_code '12345' must be 10 digits or bm + 8 digits", importer);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, add.StatusCode);
        Assert.Contains(importer, WebUtility.HtmlDecode(await add.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, edit.StatusCode);
        Assert.Contains(importer, WebUtility.HtmlDecode(await edit.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var all = await host.Get<TargetStore>().ListAsync(CancellationToken.None);
        Assert.Equal(["4306260001"], all.Select(t => t.Id));
        Assert.Equal("临江县人民政府", all[0].Name);
    }

    [Fact]
    public async Task Add_IsRefused_WhenTheIdExistsAlready()
    {
        using var office = await host.LoginAsync("office");

        var answer = await WebHost.PostFormAsync(office, "/targets", "/targets", new Dictionary<string, string>(Donghu()) { ["site_code"] = "4306260001", ["name"] = "重复" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
        Assert.Contains("id '4306260001' already exists", WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal("临江县人民政府", (await host.Get<TargetStore>().GetManyAsync(["4306260001"], CancellationToken.None))["4306260001"].Name);
    }

    [Fact]
    public async Task AddAndEdit_AreForbidden_ToWebmastersAndInspectors()
    {
        using var webmaster = await host.LoginAsync("linjiang");
        using var inspector = await host.LoginAsync("inspector");
        var own = new Dictionary<string, string> { ["kind"] = "website", ["name"] = "改名", ["url"] = "http://www.linjiang.gov.cn/", ["organization"] = "临江县人民政府办公室", ["region"] = "临江县", ["site_code"] = "4306260001" };

        var list = await webmaster.GetStringAsync("/targets");
        var form = await webmaster.GetAsync("/targets/4306260001/edit");
        var edit = await WebHost.PostFormAsync(webmaster, "/login", "/targets/4306260001/edit", own);
        var add = await WebHost.PostFormAsync(inspector, "/login", "/targets", Donghu());

        Assert.Contains("4306260001", list, StringComparison.Ordinal);
        Assert.DoesNotContain("/edit", list, StringComparison.Ordinal);
        Assert.DoesNotContain("添加 Add", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal("临江县人民政府", (await host.Get<TargetStore>().GetManyAsync(["4306260001"], CancellationToken.None))["4306260001"].Name);
        Assert.Single(await host.Get<TargetStore>().ListAsync(CancellationToken.None));
    }

    private static Dictionary<string, string> Donghu() => new()
    {
        ["id"] = "", ["kind"] = "website", ["name"] = "东湖区人民政府", ["url"] = "http://www.donghu.gov.cn/", ["organization"] = "东湖区人民政府办公室",
        ["region"] = "东湖区", ["site_code"] = "4306260003",
    };
}
