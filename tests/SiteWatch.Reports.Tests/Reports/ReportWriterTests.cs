using ClosedXML.Excel;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Workbooks;

namespace SiteWatch.Reports.Tests.Reports;

/// <summary>The notification workbook and the correction notices of a fixture round with known findings, opened back with ClosedXML.</summary>
public sealed class ReportWriterTests : IAsyncLifetime
{
    private ReportFixture fixture = null!;
    private ReportResult result = null!;

    public async Task InitializeAsync()
    {
        fixture = await ReportFixture.CreateAsync();
        result = (await fixture.WriteAsync()).Result;
    }

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public void Write_PutsTheNotificationAndTheNoticesUnderTheRoundFolder()
    {
        var round = Path.Combine(fixture.Out.Path, "2026Q4");
        Assert.Equal(Path.Combine(round, "通报-2026Q4.xlsx"), result.Notification);
        Assert.True(File.Exists(result.Notification));
        Assert.Equal(
            ["4306260001-临江县人民政府.xlsx", "4306260003-临江县卫健局.xlsx", "4306270001-青山县人民政府.xlsx", "4306270002-青山县商务局.xlsx"],
            Directory.GetFiles(Path.Combine(round, "整改通知")).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(result.Notices.Order(StringComparer.Ordinal), Directory.GetFiles(Path.Combine(round, "整改通知")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Overview_CountsPerRegion_AndTheProvinceTotal()
    {
        using var book = new XLWorkbook(result.Notification);

        Assert.Equal(["总体情况", "不合格网站", "不合格新媒体", "问题明细", "说明"], book.Worksheets.Select(w => w.Name).ToArray());
        var ws = book.Worksheet("总体情况");
        Assert.Equal(["地区", "抽查网站数", "合格数", "合格率", "抽查新媒体数", "合格数", "合格率"], Row(ws, 1, 7));
        Assert.Equal(["临江县", "3", "2", "—", "—", "—"], Row(ws, 2, 7).Where((_, i) => i != 3));
        Assert.Equal(["青山县", "2", "0", "—", "—", "—"], Row(ws, 3, 7).Where((_, i) => i != 3));
        Assert.Equal(["全省合计", "5", "2", "—", "—", "—"], Row(ws, 4, 7).Where((_, i) => i != 3));
        Assert.Equal(0, ws.Cell(3, 4).GetDouble());
        Assert.Equal("0.0%", ws.Cell(2, 4).Style.NumberFormat.Format);
        Assert.Equal(2.0 / 3, ws.Cell(2, 4).GetDouble(), 9);
        Assert.Equal(0.4, ws.Cell(4, 4).GetDouble(), 9);
        Assert.Equal(XLDataType.Number, ws.Cell(4, 2).DataType);
        Assert.Contains("政务新媒体本轮未抽查", ws.Cell(6, 1).GetString());
    }

    [Fact]
    public void UnqualifiedWebsites_ListEachFailure_WithVetoProblemsFirst()
    {
        using var book = new XLWorkbook(result.Notification);
        var ws = book.Worksheet("不合格网站");

        Assert.Equal(["序号", "地区", "网站名称", "网址", "主办单位", "存在问题"], Row(ws, 1, 6));
        Assert.Equal(["1", "临江县", "临江县人民政府", "http://www.4306260001.gov.cn/", "临江县人民政府办公室",
            "首页不更新（最新信息 2026-10-01，50天）；链接不可用 12 处"], Row(ws, 2, 6));
        Assert.Equal(["2", "青山县", "青山县人民政府", "http://www.4306270001.gov.cn/", "青山县人民政府办公室",
            "链接不可用 21 处；标识缺失（ICP备案编号）；栏目不更新 10 个；扣分合计 42 分（超过 40 分）"], Row(ws, 3, 6));
        Assert.Equal(["3", "青山县", "青山县商务局", "http://www.4306270002.gov.cn/", "-青山县商务局",
            "商业广告；严重错误（“@SUM(A1)”）"], Row(ws, 4, 6));
        Assert.True(ws.Cell(5, 1).IsEmpty());
        Assert.DoesNotContain("临江县卫健局", ws.RangeUsed().CellsUsed().Select(c => c.GetString())); // 39 points: qualified

        var accounts = book.Worksheet("不合格新媒体");
        Assert.Equal(["序号", "地区", "账号名称", "平台", "主办单位", "存在问题"], Row(accounts, 1, 6));
        Assert.Equal("本轮未抽查", accounts.Cell(2, 1).GetString());
    }

    [Fact]
    public void Details_HaveOneRowPerFinding_InChinese()
    {
        using var book = new XLWorkbook(result.Notification);
        var ws = book.Worksheet("问题明细");

        Assert.Equal(["序号", "地区", "对象", "检查项", "严重程度", "页面", "对象/subject", "说明/detail", "证据/evidence"], Row(ws, 1, 9));
        Assert.Equal(78, fixture.FindingCount);
        Assert.Equal(fixture.FindingCount + 1, ws.LastRowUsed().RowNumber());
        Assert.Equal(["1", "临江县", "临江县人民政府", "首页不更新", "否决"], Row(ws, 2, 5));
        var severities = Enumerable.Range(2, fixture.FindingCount).Select(r => ws.Cell(r, 5).GetString()).ToList();
        Assert.Equal(1 + 2, severities.Count(s => s == "否决"));
        Assert.Equal(2, severities.Count(s => s == "提示"));
        Assert.Equal(78 - 3 - 2, severities.Count(s => s == "扣分"));
        Assert.Contains(Enumerable.Range(2, fixture.FindingCount), r => ws.Cell(r, 4).GetString() == "链接不可用" && ws.Cell(r, 9).GetString() == "HTTP/1.1 404 Not Found");
    }

    [Fact]
    public void About_NamesTheRoundSampleAndRulesVersion()
    {
        using var book = new XLWorkbook(result.Notification);
        var ws = book.Worksheet("说明");
        var values = Enumerable.Range(2, ws.LastRowUsed().RowNumber() - 1).ToDictionary(r => ws.Cell(r, 1).GetString(), r => ws.Cell(r, 2).GetString());

        Assert.Equal("2026Q4", values["检查轮次"]);
        Assert.Equal("政府网站", values["抽查类型"]);
        Assert.Equal("2026-11-20 10:00:00 +08:00", values["检测时间点"]);
        Assert.Equal("30%", values["抽样比例"]);
        Assert.Equal("42", values["随机种子"]);
        Assert.Equal("5 / 5", values["已检查 / 抽样"]);
        Assert.Equal("78", values["问题总数"]);
        Assert.Equal(RulesVersion.Compute(TestKit.RepoPaths.Rules), values["规则版本"]);
        Assert.Matches("^[0-9a-f]{12}$", values["规则版本"]);
        Assert.Equal("2026-11-25 17:30:00 +08:00", values["生成时间"]);
    }

    [Fact]
    public void Sheets_ArePrintReady()
    {
        using var book = new XLWorkbook(result.Notification);
        foreach (var ws in book.Worksheets)
        {
            Assert.Equal(XLPaperSize.A4Paper, ws.PageSetup.PaperSize);
            Assert.Equal(XLPageOrientation.Landscape, ws.PageSetup.PageOrientation);
            Assert.Equal(1, ws.SheetView.SplitRow);
            foreach (var column in ws.ColumnsUsed())
            {
                Assert.InRange(column.Width, 6, SheetWriter.MaxWidth);
            }
        }

        // ClosedXML 0.95 does not read headers and footers back: look at the sheets' XML.
        using var zip = System.IO.Compression.ZipFile.OpenRead(result.Notification);
        var sheets = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, sheets.Count);
        foreach (var entry in sheets)
        {
            using var reader = new StreamReader(entry.Open());
            var xml = reader.ReadToEnd();
            Assert.Contains("<x:oddHeader>&amp;C2026Q4 抽查情况通报</x:oddHeader>", xml, StringComparison.Ordinal);
            Assert.Contains("<x:oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</x:oddFooter>", xml, StringComparison.Ordinal);
            Assert.Contains("<x:pageSetUpPr fitToPage=\"1\" />", xml, StringComparison.Ordinal);
        }

        Assert.True(book.Worksheet("问题明细").AutoFilter.IsEnabled);
        Assert.True(book.Worksheet("不合格网站").AutoFilter.IsEnabled);
        Assert.True(book.Worksheet("问题明细").Cell(2, 8).Style.Alignment.WrapText);
        // The widest text of 地区 is 全省合计: four CJK characters count 4 × 2, plus 2 of padding (a naive count gives 6).
        Assert.Equal(10, book.Worksheet("总体情况").Column(1).Width);
        Assert.Equal(8, SheetWriter.DisplayWidth("全省合计"));
        Assert.Equal(10, SheetWriter.DisplayWidth("HTTP 404 x"));
    }

    [Fact]
    public void CrawledText_IsAlwaysLiteral_NeverAFormula()
    {
        using var book = new XLWorkbook(result.Notification);
        var details = book.Worksheet("问题明细");
        var cells = details.CellsUsed().Where(c => ReportFixture.Injections.Contains(c.GetString())).ToList();
        using var notice = new XLWorkbook(result.Notices.Single(n => n.Contains("4306270002", StringComparison.Ordinal)));
        cells.AddRange(notice.Worksheet("整改通知").CellsUsed().Where(c => ReportFixture.Injections.Contains(c.GetString())));
        cells.AddRange(book.Worksheet("不合格网站").CellsUsed().Where(c => c.GetString() == "-青山县商务局"));

        Assert.Equal(ReportFixture.Injections.ToHashSet(), cells.Select(c => c.GetString()).Where(s => s != "-青山县商务局").ToHashSet());
        Assert.True(cells.Count >= 2 * 7 + 1, $"{cells.Count} cells");
        Assert.All(cells, c =>
        {
            Assert.Equal(XLDataType.Text, c.DataType);
            Assert.False(c.HasFormula, c.Address.ToString());
            Assert.Equal("", c.FormulaA1);
        });
    }

    [Fact]
    public void Notice_SaysWhoWhatWhereTheRuleTheDeadlineAndHowToReply()
    {
        using var book = new XLWorkbook(result.Notices.Single(n => n.Contains("4306260001", StringComparison.Ordinal)));
        var ws = book.Worksheet("整改通知");
        var labels = Enumerable.Range(2, 12).ToDictionary(r => ws.Cell(r, 1).GetString(), r => ws.Cell(r, 2).GetString());

        Assert.Equal("临江县人民政府办公室", labels["主办单位"]);
        Assert.Equal("临江县人民政府", labels["网站名称"]);
        Assert.Equal("http://www.4306260001.gov.cn/", labels["网址"]);
        Assert.StartsWith("2026-12-11 前（检测时间点起 15 个工作日", labels["整改期限"]); // Friday 2026-11-20 + 15 working days
        Assert.Contains("政务公开处", labels["回复方式"]);
        Assert.StartsWith("不合格：首页不更新", labels["检查结论"]);

        var header = ws.CellsUsed().First(c => c.GetString() == "检查项").Address.RowNumber;
        Assert.Equal(CorrectionNotice.Columns, Row(ws, header, CorrectionNotice.Columns.Length));
        Assert.Equal(header, ws.SheetView.SplitRow);
        Assert.True(ws.AutoFilter.IsEnabled);
        Assert.Equal(14, ws.LastRowUsed().RowNumber() - header);
        var first = Row(ws, header + 1, 8);
        Assert.Equal(["1", "首页不更新", "否决"], first[..3]);
        Assert.StartsWith("首页最新信息距检测时间超过2周", first[7]);
        Assert.Equal("提示", ws.Cell(ws.LastRowUsed().RowNumber(), 3).GetString());

        // The finding's number, by which the webmaster marks it fixed; notices are not in the correction loop.
        var numbers = Enumerable.Range(header + 1, 14).Select(r => ws.Cell(r, 9)).ToList();
        Assert.All(numbers.SkipLast(1), c => Assert.True(c.GetValue<long>() > 0));
        Assert.Equal(13, numbers.SkipLast(1).Select(c => c.GetValue<long>()).Distinct().Count());
        Assert.True(numbers[^1].IsEmpty());
    }

    [Fact]
    public void Notice_IsWrittenForATargetWithOnlyNotices_ButNotForACleanOne()
    {
        Assert.Contains(result.Notices, n => n.Contains("4306260003", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Notices, n => n.Contains("4306260002", StringComparison.Ordinal));
        Assert.True(result.Verdicts["4306260003"].Qualified);
        Assert.Equal(39, result.Verdicts["4306260003"].Deduction);
        Assert.False(result.Verdicts["4306270001"].Qualified);
        Assert.Equal(42, result.Verdicts["4306270001"].Deduction);

        using var book = new XLWorkbook(result.Notices.Single(n => n.Contains("4306260003", StringComparison.Ordinal)));
        Assert.Equal("合格（请整改下列问题）", book.Worksheet("整改通知").Cell(7, 2).GetString());
    }

    private static string[] Row(IXLWorksheet ws, int row, int columns) =>
        Enumerable.Range(1, columns).Select(c => ws.Cell(row, c).GetFormattedString()).ToArray();
}
