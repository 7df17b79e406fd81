using ClosedXML.Excel;
using SiteWatch.Reports.Annual;
using SiteWatch.Reports.Workbooks;

namespace SiteWatch.Reports.Tests.Annual;

/// <summary>The annual tables of the fixture year (see <see cref="AnnualFixture"/> for every number), opened back with ClosedXML.</summary>
public sealed class AnnualReportTests : IAsyncLifetime
{
    private AnnualFixture fixture = null!;
    private AnnualResult result = null!;

    public async Task InitializeAsync()
    {
        fixture = await AnnualFixture.CreateAsync();
        result = await fixture.WriteAsync();
    }

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public void Write_PutsTheWorkbookUnderTheOutFolder_NamedByYear()
    {
        Assert.Equal(Path.Combine(fixture.Out.Path, "年度报表-2026.xlsx"), result.Path);
        using var book = new XLWorkbook(result.Path);
        Assert.Equal(["监管年度报表", "问题统计", "政府网站工作年度报表", "政务新媒体工作年度报表", "说明"], book.Worksheets.Select(w => w.Name).ToArray());
        Assert.Equal(
            "year 2026: 4 rounds (2 website, 2 account), 5 website inspections (2 unqualified), 3 account inspections (2 unqualified), 11 problems, 4 verified fixed, 整改率 66.7%",
            result.Summary);
    }

    [Fact]
    public void Supervision_CountsEachQuarter_TheYear_AndTheRegistryAtYearEnd()
    {
        using var book = new XLWorkbook(result.Path);
        var ws = book.Worksheet("监管年度报表");

        Assert.Equal(["期间", "网站检查轮次", "新媒体检查轮次", "抽查网站数", "不合格网站数", "合格率", "抽查新媒体数", "不合格新媒体数", "合格率"], Row(ws, 1, 9));
        // 2026Q1 inspected W1–W3 (W4 never finished), W1 failed; 2026Q1-account A1 failed, A2 passed.
        Assert.Equal(["第一季度", "1", "1", "3", "1", "66.7%", "2", "1", "50.0%"], Row(ws, 2, 9));
        Assert.Equal(["第二季度", "0", "0", "0", "0", "—", "0", "0", "—"], Row(ws, 3, 9));
        Assert.Equal(["第三季度", "1", "1", "2", "1", "50.0%", "1", "1", "0.0%"], Row(ws, 4, 9));
        Assert.Equal(["第四季度", "0", "0", "0", "0", "—", "0", "0", "—"], Row(ws, 5, 9));
        Assert.Equal(["全年", "2", "2", "5", "2", "60.0%", "3", "2", "33.3%"], Row(ws, 6, 9));
        Assert.Equal(2.0 / 3, ws.Cell(2, 6).GetDouble(), 9);
        Assert.Equal(0.5, ws.Cell(2, 9).GetDouble(), 9);
        Assert.Equal(0.5, ws.Cell(4, 6).GetDouble(), 9);
        Assert.Equal(0, ws.Cell(4, 9).GetDouble(), 9);
        Assert.Equal(0.6, ws.Cell(6, 6).GetDouble(), 9);
        Assert.Equal(1.0 / 3, ws.Cell(6, 9).GetDouble(), 9);
        Assert.Equal("0.0%", ws.Cell(6, 6).Style.NumberFormat.Format);
        Assert.Equal(XLDataType.Number, ws.Cell(6, 4).DataType);

        // W5 (registered in 2027) is not counted; W4 and A3 (never inspected) are.
        Assert.Equal(["年末名录（2026 年底）", "数量"], Row(ws, 8, 2));
        Assert.Equal(["网站总数", "4"], Row(ws, 9, 2));
        Assert.Equal(["新媒体总数", "3"], Row(ws, 10, 2));
        Assert.Equal(["其中：新浪微博", "2"], Row(ws, 11, 2));
        Assert.Equal(["其中：微信公众号", "1"], Row(ws, 12, 2));
        Assert.StartsWith("注：抽查数按检查个次计", ws.Cell(14, 1).GetString());
    }

    [Fact]
    public void Problems_CountCasesByCheckAndSeverity_WithTheirCorrectionStates()
    {
        using var book = new XLWorkbook(result.Path);
        var ws = book.Worksheet("问题统计");

        Assert.Equal(["序号", "检查项", "检查项代码", "严重程度", "问题数", "已整改", "整改中", "被新轮次取代", "整改率"], Row(ws, 1, 9));
        Assert.Equal(["1", "商业广告", "commercial-ad", "否决", "1", "0", "1", "0", "0.0%"], Row(ws, 2, 9));
        Assert.Equal(["2", "首页不更新", "stale-homepage", "否决", "1", "0", "0", "1", "—"], Row(ws, 3, 9));
        Assert.Equal(["3", "睡眠账号", "sleeping-account", "否决", "1", "1", "0", "0", "100.0%"], Row(ws, 4, 9));
        Assert.Equal(["4", "账号无法访问", "account-unreachable", "否决", "1", "0", "1", "0", "0.0%"], Row(ws, 5, 9));
        // Dead links: 3 verified (W1's first, both of W2), 2 superseded by 2026Q3; the 2027 round's dead link is not counted.
        Assert.Equal(["5", "链接不可用", "dead-link", "扣分", "5", "3", "0", "2", "100.0%"], Row(ws, 6, 9));
        // Superseded by 2027Q1: a later year's round still closes this year's cases.
        Assert.Equal(["6", "栏目不更新", "stale-column", "扣分", "2", "0", "0", "2", "—"], Row(ws, 7, 9));
        Assert.Equal("合计", ws.Cell(8, 1).GetString());
        Assert.Equal(["11", "4", "2", "5", "66.7%"], Row(ws, 8, 9)[4..]);
        Assert.Equal(4.0 / 6, ws.Cell(8, 9).GetDouble(), 9);
        Assert.True(ws.Cell(9, 1).IsEmpty());
    }

    [Fact]
    public void Websites_HaveOneRowPerWebsiteInspected()
    {
        using var book = new XLWorkbook(result.Path);
        var ws = book.Worksheet("政府网站工作年度报表");

        Assert.Equal(["序号", "网站名称", "首页网址", "主办单位", "地区", "级别", "网站标识码", "ICP备案号", "检查次数", "合格次数",
            "栏目数", "不更新栏目数", "发现问题数", "已整改问题数", "整改率"], Row(ws, 1, 15));
        // W1: 6 cases, 1 verified, 5 superseded → 1/1; columns and stale columns of its last 2026 inspection (2026Q3), not 2027Q1's 9.
        Assert.Equal(["1", "临江县人民政府", "http://www.4306260001.gov.cn/", "临江县人民政府办公室", "临江县", "县级", "4306260001", "湘ICP备05000001号",
            "2", "1", "8", "2", "6", "1", "100.0%"], Row(ws, 2, 15));
        Assert.Equal(["2", AnnualFixture.FormulaName, "http://www.4306260002.gov.cn/", "+临江县教育局", "临江县", "县级", "4306260002", "",
            "2", "1", "3", "0", "3", "2", "66.7%"], Row(ws, 3, 15));
        Assert.Equal(2.0 / 3, ws.Cell(3, 15).GetDouble(), 9);
        Assert.Equal(["3", "青山县人民政府", "http://www.4306270001.gov.cn/", "青山县人民政府办公室", "青山县", "", "4306270001", "",
            "1", "1", "4", "0", "0", "0", "—"], Row(ws, 4, 15));
        Assert.True(ws.Cell(5, 1).IsEmpty()); // W4 was sampled but never finished; W5 only in 2027
    }

    [Fact]
    public void Accounts_HaveOneRowPerAccountInspected_WithTheirLastActivityAndStatus()
    {
        using var book = new XLWorkbook(result.Path);
        var ws = book.Worksheet("政务新媒体工作年度报表");

        Assert.Equal(["序号", "账号名称", "平台", "主办单位", "地区", "检查次数", "合格次数", "最近发布", "近14天发布数", "运行状态",
            "发现问题数", "已整改问题数", "整改率"], Row(ws, 1, 13));
        Assert.Equal(["1", "临江发布", "新浪微博", "临江县人民政府办公室", "临江县", "2", "0", "未发现发布", "0", "无法访问", "2", "1", "50.0%"], Row(ws, 2, 13));
        Assert.Equal(["2", "青山微信", "微信公众号", "青山县人民政府办公室", "青山县", "1", "1", "2026-03-19", "6", "正常", "0", "0", "—"], Row(ws, 3, 13));
        Assert.True(ws.Cell(4, 1).IsEmpty());
    }

    [Fact]
    public void About_NamesTheYear_TheRoundsIncluded_TheRulesVersion_AndEveryRate()
    {
        using var book = new XLWorkbook(result.Path);
        var ws = book.Worksheet("说明");
        var rows = Enumerable.Range(2, ws.LastRowUsed().RowNumber() - 1).Select(r => (Key: ws.Cell(r, 1).GetString(), Value: ws.Cell(r, 2).GetString())).ToList();
        var values = rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Select(r => r.Value).ToList());

        Assert.Equal(["项目", "内容"], Row(ws, 1, 2));
        Assert.Equal("2026", values["年度"].Single());
        Assert.Equal("2027-02-01 09:00:00 +08:00", values["生成时间"].Single());
        Assert.Equal(RulesVersion.Compute(TestKit.RepoPaths.Rules), values["规则版本"].Single());
        Assert.Equal(
        [
            "2026Q1（政府网站，检测时间点 2026-02-16 10:00:00 +08:00，已检查 3 个，本轮尚未完成）",
            "2026Q1-account（政务新媒体，检测时间点 2026-03-20 10:00:00 +08:00，已检查 2 个）",
            "2026Q3（政府网站，检测时间点 2026-08-10 10:00:00 +08:00，已检查 2 个）",
            "2026Q3-account（政务新媒体，检测时间点 2026-09-05 10:00:00 +08:00，已检查 1 个）",
        ], values["检查轮次"]);
        Assert.Equal("已整改 ÷（问题数 − 被新轮次取代）；分母为 0 时记“—”。各问题的状态为生成报表时的状态，下一年度的复查和轮次也会改变本年度问题的状态。", values["整改率"].Single());
        Assert.StartsWith("（抽查数 − 不合格数）÷ 抽查数", values["合格率"].Single());
        foreach (var key in new[] { "合格标准", "抽查数", "年末名录", "问题数", "已整改", "整改中", "被新轮次取代", "栏目数 / 不更新栏目数", "最近发布 / 发布数 / 运行状态", "SiteWatch 可计算的内容" })
        {
            Assert.NotEmpty(values[key].Single());
        }

        var unit = values["需由填报单位填写的内容"].Single();
        Assert.Contains("访问量", unit);
        Assert.Contains("办事服务", unit);
        Assert.Contains("互动交流", unit);
    }

    [Fact]
    public void RegistryText_LookingLikeAFormula_StaysLiteralText()
    {
        using var book = new XLWorkbook(result.Path);
        var ws = book.Worksheet("政府网站工作年度报表");

        foreach (var cell in new[] { ws.Cell(3, 2), ws.Cell(3, 4) })
        {
            Assert.Equal(XLDataType.Text, cell.DataType);
            Assert.False(cell.HasFormula, cell.Address.ToString());
            Assert.Equal("", cell.FormulaA1);
        }

        Assert.Equal(AnnualFixture.FormulaName, ws.Cell(3, 2).GetString());
    }

    [Fact]
    public void Sheets_ArePrintReady()
    {
        using var book = new XLWorkbook(result.Path);
        foreach (var ws in book.Worksheets)
        {
            Assert.Equal(XLPaperSize.A4Paper, ws.PageSetup.PaperSize);
            Assert.Equal(XLPageOrientation.Landscape, ws.PageSetup.PageOrientation);
            Assert.Equal(1, ws.SheetView.SplitRow);
            Assert.True(ws.Cell(2, 2).Style.Alignment.WrapText, ws.Name);
            foreach (var column in ws.ColumnsUsed())
            {
                Assert.InRange(column.Width, 6, SheetWriter.MaxWidth);
            }
        }

        Assert.True(book.Worksheet("政府网站工作年度报表").AutoFilter.IsEnabled);
        Assert.True(book.Worksheet("政务新媒体工作年度报表").AutoFilter.IsEnabled);

        // ClosedXML 0.95 does not read headers and footers back: look at the sheets' XML.
        using var zip = System.IO.Compression.ZipFile.OpenRead(result.Path);
        var sheets = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, sheets.Count);
        foreach (var entry in sheets)
        {
            using var reader = new StreamReader(entry.Open());
            var xml = reader.ReadToEnd();
            Assert.Contains("<x:oddHeader>&amp;C2026 年度报表</x:oddHeader>", xml, StringComparison.Ordinal);
            Assert.Contains("<x:oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</x:oddFooter>", xml, StringComparison.Ordinal);
            Assert.Contains("<x:pageSetUpPr fitToPage=\"1\" />", xml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AYearWithoutRounds_StillGetsItsWorkbook_Saying无检查轮次()
    {
        var empty = await fixture.WriteAsync(2025);

        Assert.Equal(Path.Combine(fixture.Out.Path, "年度报表-2025.xlsx"), empty.Path);
        Assert.Equal("year 2025: 无检查轮次 (no rounds with an as-of in 2025); the workbook holds the registry at year end only", empty.Summary);
        using var book = new XLWorkbook(empty.Path);
        var supervision = book.Worksheet("监管年度报表");
        Assert.Equal(["全年", "0", "0", "0", "0", "—", "0", "0", "—"], Row(supervision, 6, 9));
        Assert.Equal(["网站总数", "0"], Row(supervision, 9, 2)); // everything was registered in 2026
        Assert.Equal("注：2025 年无检查轮次。", supervision.Cell(12, 1).GetString());
        foreach (var name in new[] { "问题统计", "政府网站工作年度报表", "政务新媒体工作年度报表" })
        {
            Assert.Equal("无检查轮次", book.Worksheet(name).Cell(2, 1).GetString());
        }

        var about = book.Worksheet("说明");
        Assert.Contains(Enumerable.Range(2, about.LastRowUsed().RowNumber() - 1),
            r => about.Cell(r, 1).GetString() == "检查轮次" && about.Cell(r, 2).GetString() == "无检查轮次");
    }

    /// <summary>A row as shown; percentages formatted here (ClosedXML 0.95's GetFormattedString leaves them as fractions).</summary>
    private static string[] Row(IXLWorksheet ws, int row, int columns) =>
        Enumerable.Range(1, columns).Select(c => ws.Cell(row, c) is var cell && cell.DataType == XLDataType.Number && cell.Style.NumberFormat.Format.EndsWith('%')
            ? cell.GetDouble().ToString(cell.Style.NumberFormat.Format, System.Globalization.CultureInfo.InvariantCulture)
            : cell.GetFormattedString()).ToArray();
}
