using System.Globalization;
using ClosedXML.Excel;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Scoring;

namespace SiteWatch.Reports.Workbooks;

/// <summary>The notification (抽查情况通报): 总体情况, 不合格网站, 不合格新媒体, 问题明细 and 说明.</summary>
internal static class NotificationWorkbook
{
    public const string NotSampled = "本轮未抽查";

    public static void Write(ReportInput input, IReadOnlyDictionary<string, Verdict> verdicts, string path)
    {
        using var workbook = new XLWorkbook();
        var header = $"{input.Round.Id} 抽查情况通报";
        Overview(workbook.AddWorksheet("总体情况"), input, verdicts, header);
        Unqualified(workbook.AddWorksheet("不合格网站"), input, verdicts, TargetKind.Website, header);
        Unqualified(workbook.AddWorksheet("不合格新媒体"), input, verdicts, TargetKind.Account, header);
        Details(workbook.AddWorksheet("问题明细"), input, header);
        About(workbook.AddWorksheet("说明"), input, header);
        workbook.SaveAs(path);
    }

    private static void Overview(IXLWorksheet ws, ReportInput input, IReadOnlyDictionary<string, Verdict> verdicts, string header)
    {
        var w = new SheetWriter(ws);
        w.Header(1, "地区", "抽查网站数", "合格数", "合格率", "抽查新媒体数", "合格数", "合格率");
        var kind = input.Round.Kind;
        var row = 2;
        var regions = input.Targets.GroupBy(t => t.Region, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var region in regions)
        {
            Counts(w, row++, region.Key, region.Count(), region.Count(t => verdicts[t.Id].Qualified), kind);
        }

        Counts(w, row, "全省合计", input.Targets.Count, input.Targets.Count(t => verdicts[t.Id].Qualified), kind);
        ws.Row(row).Style.Font.Bold = true;
        w.Finish(1, row, 7, header, filter: false);
        var note = ws.Cell(row + 2, 1);
        note.SetValue(kind == TargetKind.Website
            ? "注：本轮抽查政府网站，政务新媒体" + NotSampled + "。合格：无单项否决问题且扣分不超过规定分值。"
            : "注：本轮抽查政务新媒体，政府网站" + NotSampled + "。合格：无单项否决问题且扣分不超过规定分值。");
        note.Style.Alignment.WrapText = false;
    }

    private static void Counts(SheetWriter w, int row, string region, int sampled, int qualified, TargetKind kind)
    {
        w.Text(row, 1, region);
        var (mine, other) = kind == TargetKind.Website ? (2, 5) : (5, 2);
        w.Number(row, mine, sampled);
        w.Number(row, mine + 1, qualified);
        w.Number(row, mine + 2, sampled == 0 ? 0 : (double)qualified / sampled, "0.0%");
        w.Text(row, other, "—");
        w.Text(row, other + 1, "—");
        w.Text(row, other + 2, "—");
    }

    private static void Unqualified(IXLWorksheet ws, ReportInput input, IReadOnlyDictionary<string, Verdict> verdicts, TargetKind kind, string header)
    {
        var w = new SheetWriter(ws);
        var website = kind == TargetKind.Website;
        w.Header(1, website ? ["序号", "地区", "网站名称", "网址", "主办单位", "存在问题"] : ["序号", "地区", "账号名称", "平台", "主办单位", "存在问题"]);
        w.Cap(4, 40);
        if (input.Round.Kind != kind)
        {
            w.Text(2, 1, NotSampled);
            ws.Range(2, 1, 2, 6).Merge();
            w.Finish(1, 2, 6, header, filter: false);
            return;
        }

        var failed = input.Targets.Where(t => !verdicts[t.Id].Qualified)
            .OrderBy(t => t.Region, StringComparer.Ordinal).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        var row = 2;
        foreach (var t in failed)
        {
            w.Number(row, 1, row - 1);
            w.Text(row, 2, t.Region);
            w.Text(row, 3, t.Name);
            w.Text(row, 4, website ? t.Url : t.Platform);
            w.Text(row, 5, t.Organization);
            w.Text(row, 6, ProblemText.Summary(verdicts[t.Id], input.Scoring));
            row++;
        }

        if (failed.Count == 0)
        {
            w.Text(2, 1, website ? "本轮抽查的网站均合格" : "本轮抽查的新媒体均合格");
            ws.Range(2, 1, 2, 6).Merge();
            row = 3;
        }

        w.Finish(1, row - 1, 6, header, filter: failed.Count > 0);
    }

    private static void Details(IXLWorksheet ws, ReportInput input, string header)
    {
        var w = new SheetWriter(ws);
        w.Header(1, "序号", "地区", "对象", "检查项", "严重程度", "页面", "对象/subject", "说明/detail", "证据/evidence");
        w.Cap(6, 40);
        w.Cap(7, 40);
        w.Cap(9, 40);
        var targets = input.Targets.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var ordered = input.Findings
            .OrderBy(f => targets.TryGetValue(f.TargetId, out var t) ? t.Region : "", StringComparer.Ordinal)
            .ThenBy(f => f.TargetId, StringComparer.Ordinal)
            .ThenByDescending(f => f.Finding.Severity)
            .ThenBy(f => f.Finding.Check, StringComparer.Ordinal)
            .ThenBy(f => f.Finding.Subject, StringComparer.Ordinal);
        var row = 2;
        foreach (var f in ordered)
        {
            var target = targets.GetValueOrDefault(f.TargetId);
            w.Number(row, 1, row - 1);
            w.Text(row, 2, target?.Region ?? "");
            w.Text(row, 3, target?.Name ?? f.TargetId);
            w.Text(row, 4, ProblemText.CheckName(f.Finding.Check));
            w.Text(row, 5, ProblemText.SeverityName(f.Finding.Severity));
            w.Text(row, 6, f.Finding.Url);
            w.Text(row, 7, f.Finding.Subject);
            w.Text(row, 8, f.Finding.Occurrences > 1
                ? string.Create(CultureInfo.InvariantCulture, $"{f.Finding.Detail}（出现 {f.Finding.Occurrences} 次）")
                : f.Finding.Detail);
            w.Text(row, 9, f.Finding.Evidence);
            row++;
        }

        w.Finish(1, Math.Max(row - 1, 1), 9, header);
    }

    private static void About(IXLWorksheet ws, ReportInput input, string header)
    {
        var w = new SheetWriter(ws);
        w.Header(1, "项目", "内容");
        var round = input.Round;
        var s = input.Scoring;
        string[][] rows =
        [
            ["检查轮次", round.Id],
            ["抽查类型", round.Kind == TargetKind.Website ? "政府网站" : "政务新媒体"],
            ["检测时间点", round.AsOf.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)],
            ["抽样比例", round.SampleFraction.ToString("0.##%", CultureInfo.InvariantCulture)],
            ["随机种子", round.Seed.ToString(CultureInfo.InvariantCulture)],
            ["已检查 / 抽样", string.Create(CultureInfo.InvariantCulture, $"{input.Targets.Count} / {input.SampledCount}")
                + (round.Status == RoundStatus.Complete ? "" : "（本轮尚未完成）")],
            ["问题总数", input.Findings.Count.ToString(CultureInfo.InvariantCulture)],
            ["规则版本", input.RulesVersion],
            ["合格标准", string.Create(CultureInfo.InvariantCulture,
                $"无单项否决问题，且扣分合计不超过 {s.DeductionLimit:0.#} 分；提示类问题不计分（crawler-rules/scoring.yaml）")],
            ["整改期限", string.Create(CultureInfo.InvariantCulture, $"检测时间点起 {s.NoticeDeadlineWorkingDays} 个工作日（不含周六、周日；法定节假日未计入）")],
            ["通报单位", s.Issuer],
            ["生成时间", input.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)],
        ];
        for (var i = 0; i < rows.Length; i++)
        {
            w.Text(i + 2, 1, rows[i][0]);
            w.Text(i + 2, 2, rows[i][1]);
        }

        w.Finish(1, rows.Length + 1, 2, header, filter: false);
    }
}
