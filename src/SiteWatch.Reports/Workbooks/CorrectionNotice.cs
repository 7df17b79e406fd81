using System.Globalization;
using ClosedXML.Excel;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Scoring;

namespace SiteWatch.Reports.Workbooks;

/// <summary>One target's correction notice (整改通知): who, each problem with where and why, the deadline, how to reply.</summary>
internal static class CorrectionNotice
{
    /// <summary>问题编号 is the stored finding's number: the webmaster marks each problem fixed by it (web page or `sitewatch fixed`).</summary>
    public static readonly string[] Columns = ["序号", "检查项", "严重程度", "页面", "对象", "说明", "证据", "依据", "问题编号"];

    public static void Write(ReportInput input, Target target, Verdict verdict, DateOnly deadline, string path)
    {
        using var workbook = new XLWorkbook();
        var ws = workbook.AddWorksheet("整改通知");
        var w = new SheetWriter(ws);
        var website = target.Kind == TargetKind.Website;
        var title = ws.Cell(1, 1);
        title.SetValue("整改通知");
        title.Style.Font.Bold = true;
        title.Style.Font.FontSize = 16;
        title.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
        ws.Range(1, 1, 1, Columns.Length).Merge();

        string[][] who =
        [
            ["主办单位", target.Organization],
            [website ? "网站名称" : "账号名称", target.Name],
            [website ? "网址" : "账号地址", target.Url],
            .. website ? Array.Empty<string[]>() : [["平台", target.Platform ?? ""]],
            ["地区", target.Region],
            ["检查轮次", string.Create(CultureInfo.InvariantCulture, $"{input.Round.Id}（检测时间点 {input.Round.AsOf:yyyy-MM-dd HH:mm zzz}）")],
            ["检查结论", verdict.Qualified ? "合格（请整改下列问题）" : "不合格：" + ProblemText.Summary(verdict, input.Scoring)],
            ["整改期限", string.Create(CultureInfo.InvariantCulture,
                $"{deadline:yyyy-MM-dd} 前（检测时间点起 {input.Scoring.NoticeDeadlineWorkingDays} 个工作日，不含周六、周日；法定节假日未计入）")],
            ["回复方式", input.Scoring.ReplyTo],
            ["通知单位", input.Scoring.Issuer],
        ];
        var row = 2;
        foreach (var line in who)
        {
            w.Text(row, 1, line[0]).Style.Font.Bold = true;
            w.Text(row, 2, line[1]);
            ws.Range(row, 2, row, Columns.Length).Merge();
            row++;
        }

        // The label column is also the 序号 column of the table; the merged values do not size column 2.
        row++;
        var headerRow = row;
        w.Header(headerRow, Columns);
        w.Cap(4, 40);
        w.Cap(5, 40);
        w.Cap(7, 40);
        w.Cap(8, 50);
        var numbers = input.Findings.Where(f => f.TargetId == target.Id && f.Id is not null)
            .ToDictionary(f => (f.Finding.Check, f.Finding.Subject), f => f.Id!.Value);
        var n = 1;
        foreach (var f in verdict.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Check, StringComparer.Ordinal).ThenBy(f => f.Subject, StringComparer.Ordinal))
        {
            row++;
            w.Number(row, 1, n++);
            w.Text(row, 2, ProblemText.CheckName(f.Check));
            w.Text(row, 3, ProblemText.SeverityName(f.Severity));
            w.Text(row, 4, f.Url);
            w.Text(row, 5, f.Subject);
            w.Text(row, 6, f.Occurrences > 1 ? string.Create(CultureInfo.InvariantCulture, $"{f.Detail}（出现 {f.Occurrences} 次）") : f.Detail);
            w.Text(row, 7, f.Evidence);
            w.Text(row, 8, input.Scoring.For(f.Check).Basis ?? ProblemText.CheckName(f.Check));
            if (f.Severity != Severity.Notice && numbers.TryGetValue((f.Check, f.Subject), out var number))
            {
                w.Number(row, 9, number);
            }
        }

        w.Cap(2, 16);
        w.Finish(headerRow, row, Columns.Length, $"{input.Round.Id} 整改通知 {target.Name}");
        ws.Column(1).Width = 10;
        for (var i = 0; i < who.Length; i++)
        {
            w.FitMergedRow(i + 2, 2, Columns.Length, who[i][1]);
        }

        workbook.SaveAs(path);
    }
}
