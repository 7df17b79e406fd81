using System.Text;
using ClosedXML.Excel;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Import;
using SiteWatch.TestKit;

namespace SiteWatch.Reports.Tests.Import;

public sealed class TargetFileReaderTests : IDisposable
{
    private const string Header = "id,kind,name,url,platform,account,organization,region,level,site_code,contact_email";
    private readonly TempFolder folder = new();

    static TargetFileReaderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Read_ParsesUtf8Csv_WithEnglishHeaders_AndDefaultsIds()
    {
        var path = Write("t.csv", Encoding.UTF8, Header,
            ",website,临江县人民政府,http://www.linjiang.gov.cn/,,,临江县人民政府办公室,临江县,county,4306260001,xxgk@linjiang.gov.cn",
            ",account,临江发布,https://m.weibo.cn/u/1234567890,Weibo,1234567890,临江县委宣传部,临江县,县级,,");

        var result = TargetFileReader.Read(path);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Collection(result.Targets,
            t =>
            {
                Assert.Equal("4306260001", t.Id);
                Assert.Equal(TargetKind.Website, t.Kind);
                Assert.Equal("县级", t.Level);
                Assert.Equal("xxgk@linjiang.gov.cn", t.ContactEmail);
            },
            t =>
            {
                Assert.Equal("weibo:1234567890", t.Id);
                Assert.Equal(TargetKind.Account, t.Kind);
                Assert.Equal("weibo", t.Platform);
            });
    }

    [Fact]
    public void Read_ParsesUtf8WithBom()
    {
        var path = Write("bom.csv", new UTF8Encoding(true), Header, "x1,网站,临江县人民政府,http://www.linjiang.gov.cn/,,,临江县人民政府办公室,临江县,,4306260001,");

        var result = TargetFileReader.Read(path);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal("x1", Assert.Single(result.Targets).Id);
    }

    [Fact]
    public void Read_ParsesGb18030Csv_WithChineseHeaders()
    {
        var path = Write("gb.csv", Encoding.GetEncoding("GB18030"),
            "编号,类型,名称,网址,主办单位,主管单位,地区,级别,网站标识码,ICP备案号,备注",
            "4306260001,网站,平江县人民政府,http://www.pingjiang.gov.cn/,平江县人民政府办公室,岳阳市人民政府,岳阳市,县级,4306260001,湘ICP备05001234号,（忽略）");

        var result = TargetFileReader.Read(path);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var target = Assert.Single(result.Targets);
        Assert.Equal("平江县人民政府", target.Name);
        Assert.Equal("岳阳市人民政府", target.Supervisor);
        Assert.Equal("湘ICP备05001234号", target.Icp);
    }

    [Fact]
    public void Read_HandlesQuotedFields_AndCountsLinesPhysically()
    {
        var path = Write("q.csv", Encoding.UTF8, Header,
            "\"a1\",website,\"临江县人民政府, 门户\",http://www.linjiang.gov.cn/,,,\"办公室\n（两行）\",临江县,,4306260001,",
            "a2,website,\"说 \"\"明\"\"\",http://www.x.gov.cn/,,,办公室,临江县,,bad,");

        var result = TargetFileReader.Read(path);

        Assert.Equal([$"{path}:4: site_code 'bad' must be 10 digits or bm + 8 digits"], result.Errors);
        Assert.Empty(result.Targets);
    }

    [Fact]
    public void Read_ReportsEveryBadRow_WithFileLineAndReason()
    {
        var path = Write("bad.csv", Encoding.UTF8, Header,
            "a1,blog,名称,http://www.x.gov.cn/,,,单位,地区,,4306260001,",
            "a2,website,,ftp://www.x.gov.cn/,,,单位,地区,,4306260001,",
            "a3,website,名称,http://www.x.gov.cn/,,,单位,地区,,,",
            "a4,account,名称,http://www.x.gov.cn/,,,单位,地区,,,",
            "a5,website,名称,http://www.x.gov.cn/,,,单位,地区,村级,4306260001,not-an-email",
            "",
            "a1,website,名称,http://www.x.gov.cn/,,,单位,地区,,4306260001,",
            "a7,website,名称,http://www.x.gov.cn/,,,单位,地区,,4306260001,");

        var result = TargetFileReader.Read(path);

        Assert.Equal(
        [
            $"{path}:2: kind 'blog' is not website/网站 or account/新媒体",
            $"{path}:3: name is empty",
            $"{path}:3: url 'ftp://www.x.gov.cn/' is not an absolute http(s) address",
            $"{path}:4: site_code (网站标识码) is required for a website",
            $"{path}:5: platform (平台) is required for an account",
            $"{path}:5: account (账号) is required for an account",
            $"{path}:6: contact_email 'not-an-email' is not an e-mail address",
            $"{path}:6: level '村级' is not one of 国家级/省级/市级/县级/乡镇级/部门",
        ], result.Errors);
        Assert.Empty(result.Targets);
    }

    [Fact]
    public void Read_RejectsADuplicateId_OnTheLaterLine()
    {
        var path = Write("dup.csv", Encoding.UTF8, Header,
            "a1,website,甲,http://www.a.gov.cn/,,,单位,地区,,4306260001,",
            "a1,website,乙,http://www.b.gov.cn/,,,单位,地区,,4306260002,");

        Assert.Equal([$"{path}:3: id 'a1' already used on line 2"], TargetFileReader.Read(path).Errors);
    }

    [Fact]
    public void Read_NamesMissingRequiredColumns()
    {
        var path = Write("cols.csv", Encoding.UTF8, "id,kind,name,url", "a,website,b,http://www.x.gov.cn/");

        Assert.Equal([$"{path}:1: missing column(s) organization, region (English or Chinese headers, see the contract)"], TargetFileReader.Read(path).Errors);
    }

    [Fact]
    public void Read_SaysWhy_WhenTheFileCannotBeRead()
    {
        var missing = folder.File("nope.csv");
        Assert.StartsWith($"{missing}: cannot read:", Assert.Single(TargetFileReader.Read(missing).Errors));

        var other = Write("t.json", Encoding.UTF8, "{}");
        Assert.Equal($"{other}: cannot read: unsupported file type '.json'; use .csv or .xlsx", Assert.Single(TargetFileReader.Read(other).Errors));

        var unclosed = Write("u.csv", Encoding.UTF8, Header, "a,\"website,临江");
        Assert.Equal($"{unclosed}: cannot read: line 2: a quoted field is never closed", Assert.Single(TargetFileReader.Read(unclosed).Errors));
    }

    [Fact]
    public void Read_ParsesXlsx_WithChineseHeaders_AndNumericSiteCodes()
    {
        var path = folder.File("targets.xlsx");
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("网站");
            string[] headers = ["类型", "名称", "网址", "主办单位", "地区", "级别", "网站标识码"];
            for (var i = 0; i < headers.Length; i++)
            {
                sheet.Cell(1, i + 1).Value = headers[i];
            }

            sheet.Cell(2, 1).Value = "网站";
            sheet.Cell(2, 2).Value = "岳阳市人民政府";
            sheet.Cell(2, 3).Value = "https://www.yueyang.gov.cn/";
            sheet.Cell(2, 4).Value = "岳阳市人民政府办公室";
            sheet.Cell(2, 5).Value = "岳阳市";
            sheet.Cell(2, 6).Value = "市级";
            sheet.Cell(2, 7).Value = 4306000001d;
            sheet.Cell(4, 1).Value = "网站";
            sheet.Cell(4, 2).Value = "缺网址";
            sheet.Cell(4, 4).Value = "单位";
            sheet.Cell(4, 5).Value = "岳阳市";
            sheet.Cell(4, 7).Value = "4306000002";
            workbook.SaveAs(path);
        }

        var result = TargetFileReader.Read(path);

        Assert.Equal([$"{path}:4: url is empty"], result.Errors);
        File.Delete(path);
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("网站");
            sheet.Cell(1, 1).Value = "类型";
            sheet.Cell(1, 2).Value = "名称";
            sheet.Cell(1, 3).Value = "网址";
            sheet.Cell(1, 4).Value = "主办单位";
            sheet.Cell(1, 5).Value = "地区";
            sheet.Cell(1, 6).Value = "网站标识码";
            sheet.Cell(2, 1).Value = "网站";
            sheet.Cell(2, 2).Value = "岳阳市人民政府";
            sheet.Cell(2, 3).Value = "https://www.yueyang.gov.cn/";
            sheet.Cell(2, 4).Value = "岳阳市人民政府办公室";
            sheet.Cell(2, 5).Value = "岳阳市";
            sheet.Cell(2, 6).Value = 4306000001d;
            workbook.SaveAs(path);
        }

        var target = Assert.Single(TargetFileReader.Read(path).Targets);
        Assert.Equal("4306000001", target.Id);
        Assert.Equal("4306000001", target.SiteCode);
    }

    [Fact]
    public void Read_AcceptsTheShippedStarterRegistry()
    {
        var result = TargetFileReader.Read(Path.Combine(RepoPaths.Seeds, "targets.csv"));

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Contains(result.Targets, t => t.Name == "湖南省人民政府" && t.Url == "https://www.hunan.gov.cn/");
        Assert.Contains(result.Targets, t => t.Name == "平江县人民政府" && t.Region == "岳阳市");
        Assert.True(result.Targets.Count >= 20);
    }

    [Fact]
    public void ValidateRow_GivesTheTargetOrEveryReason_WithoutFileAndLine()
    {
        var good = new Dictionary<string, string?>
        {
            ["kind"] = " 新媒体 ", ["name"] = "临江发布", ["url"] = "https://m.weibo.cn/u/2", ["organization"] = "临江县人民政府办公室", ["region"] = "临江县",
            ["platform"] = "Weibo", ["account"] = "lj", ["level"] = "county", ["id"] = "  ",
        };
        var bad = new Dictionary<string, string?>(good) { ["kind"] = "website", ["site_code"] = "12345", ["contact_email"] = "nobody" };

        var (target, errors) = TargetFileReader.ValidateRow(good.GetValueOrDefault);
        var (none, reasons) = TargetFileReader.ValidateRow(bad.GetValueOrDefault);

        Assert.Empty(errors);
        Assert.Equal(("weibo:lj", TargetKind.Account, "weibo", "县级"), (target!.Id, target.Kind, target.Platform, target.Level));
        Assert.Null(none);
        Assert.Equal(["site_code '12345' must be 10 digits or bm + 8 digits", "contact_email 'nobody' is not an e-mail address"], reasons);
    }

    private string Write(string name, Encoding encoding, params string[] lines)
    {
        var path = folder.File(name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n", encoding);
        return path;
    }
}
