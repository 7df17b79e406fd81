using System.Globalization;
using ClosedXML.Excel;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Annual;

namespace SiteWatch.Reports.Workbooks;

/// <summary>
/// The annual tables (年度报表) of one year: 监管年度报表, 问题统计, 政府网站工作年度报表, 政务新媒体工作年度报表 and 说明 —
/// the parts of the national forms SiteWatch can compute from its own data; 说明 names the rest.
/// </summary>
internal static class AnnualWorkbook
{
    public const string NoRounds = "无检查轮次";
    public const string Dash = "—";

    public static void Write(AnnualFigures figures, string path)
    {
        using var workbook = new XLWorkbook();
        var header = $"{figures.Input.Year} 年度报表";
        Supervision(workbook.AddWorksheet("监管年度报表"), figures, header);
        Problems(workbook.AddWorksheet("问题统计"), figures, header);
        Websites(workbook.AddWorksheet("政府网站工作年度报表"), figures, header);
        Accounts(workbook.AddWorksheet("政务新媒体工作年度报表"), figures, header);
        About(workbook.AddWorksheet("说明"), figures, header);
        workbook.SaveAs(path);
    }

    private static void Supervision(IXLWorksheet ws, AnnualFigures figures, string header)
    {
        var w = new SheetWriter(ws);
        w.Header(1, "期间", "网站检查轮次", "新媒体检查轮次", "抽查网站数", "不合格网站数", "合格率", "抽查新媒体数", "不合格新媒体数", "合格率");
        var row = 2;
        foreach (var p in figures.Periods)
        {
            w.Text(row, 1, p.Period);
            w.Number(row, 2, p.WebsiteRounds);
            w.Number(row, 3, p.AccountRounds);
            w.Number(row, 4, p.WebsitesInspected);
            w.Number(row, 5, p.WebsitesFailed);
            Rate(w, row, 6, p.WebsiteRate);
            w.Number(row, 7, p.AccountsInspected);
            w.Number(row, 8, p.AccountsFailed);
            Rate(w, row, 9, p.AccountRate);
            row++;
        }

        var totalRow = row - 1;
        ws.Row(totalRow).Style.Font.Bold = true;

        // The registry at year end, a small table of its own below the quarters.
        var registryTop = totalRow + 2;
        w.Text(registryTop, 1, $"年末名录（{figures.Input.Year} 年底）");
        w.Text(registryTop, 2, "数量");
        var r = registryTop + 1;
        w.Text(r, 1, "网站总数");
        w.Number(r++, 2, figures.RegistryWebsites);
        w.Text(r, 1, "新媒体总数");
        w.Number(r++, 2, figures.RegistryAccounts.Sum(p => p.Count));
        foreach (var (platform, count) in figures.RegistryAccounts)
        {
            w.Text(r, 1, $"其中：{platform}");
            w.Number(r++, 2, count);
        }

        w.Finish(1, totalRow, 9, header, filter: false);
        var registry = ws.Range(registryTop, 1, r - 1, 2);
        registry.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        registry.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        var registryHeader = ws.Range(registryTop, 1, registryTop, 2).Style;
        registryHeader.Font.Bold = true;
        registryHeader.Fill.BackgroundColor = XLColor.FromHtml("#D9E1F2");

        var note = ws.Cell(r + 1, 1);
        note.SetValue(figures.Input.Rounds.Count == 0
            ? $"注：{figures.Input.Year} 年{NoRounds}。"
            : "注：抽查数按检查个次计（同一对象在多个轮次中被抽查，每次计一次）；合格判定与抽查情况通报相同。口径见“说明”。");
        note.Style.Alignment.WrapText = false;
    }

    private static void Problems(IXLWorksheet ws, AnnualFigures figures, string header)
    {
        var w = new SheetWriter(ws);
        w.Header(1, "序号", "检查项", "检查项代码", "严重程度", "问题数", "已整改", "整改中", "被新轮次取代", "整改率");
        if (figures.Problems.Count == 0)
        {
            Empty(w, 9, figures.Input.Rounds.Count == 0 ? NoRounds : "本年度未发现单项否决或扣分问题", header);
            return;
        }

        var row = 2;
        foreach (var p in figures.Problems)
        {
            w.Number(row, 1, row - 1);
            w.Text(row, 2, ProblemText.CheckName(p.Check));
            w.Text(row, 3, p.Check);
            w.Text(row, 4, ProblemText.SeverityName(p.Severity));
            Cases(w, row, 5, p.Cases, open: true);
            row++;
        }

        w.Text(row, 1, "合计");
        ws.Range(row, 1, row, 4).Merge();
        Cases(w, row, 5, figures.Total, open: true);
        ws.Row(row).Style.Font.Bold = true;
        w.Finish(1, row, 9, header, filter: false);
    }

    private static void Websites(IXLWorksheet ws, AnnualFigures figures, string header)
    {
        var w = new SheetWriter(ws);
        w.Header(1, "序号", "网站名称", "首页网址", "主办单位", "地区", "级别", "网站标识码", "ICP备案号", "检查次数", "合格次数",
            "栏目数", "不更新栏目数", "发现问题数", "已整改问题数", "整改率");
        w.Cap(3, 40);
        if (figures.Websites.Count == 0)
        {
            Empty(w, 15, figures.Input.Rounds.Count == 0 ? NoRounds : "本年度未抽查政府网站", header);
            return;
        }

        var row = 2;
        foreach (var s in figures.Websites)
        {
            var t = s.Target;
            w.Number(row, 1, row - 1);
            w.Text(row, 2, t.Name);
            w.Text(row, 3, t.Url);
            w.Text(row, 4, t.Organization);
            w.Text(row, 5, t.Region);
            w.Text(row, 6, t.Level);
            w.Text(row, 7, t.SiteCode);
            w.Text(row, 8, t.Icp);
            w.Number(row, 9, s.Inspected);
            w.Number(row, 10, s.Qualified);
            w.Number(row, 11, s.Columns);
            w.Number(row, 12, s.StaleColumns);
            Cases(w, row, 13, s.Cases, open: false);
            row++;
        }

        w.Finish(1, row - 1, 15, header);
    }

    private static void Accounts(IXLWorksheet ws, AnnualFigures figures, string header)
    {
        var w = new SheetWriter(ws);
        var days = figures.Input.RecentPostDays.ToString(CultureInfo.InvariantCulture);
        w.Header(1, "序号", "账号名称", "平台", "主办单位", "地区", "检查次数", "合格次数", "最近发布", $"近{days}天发布数", "运行状态",
            "发现问题数", "已整改问题数", "整改率");
        if (figures.Accounts.Count == 0)
        {
            Empty(w, 13, figures.Input.Rounds.Count == 0 ? NoRounds : "本年度未抽查政务新媒体", header);
            return;
        }

        var row = 2;
        foreach (var a in figures.Accounts)
        {
            var t = a.Target;
            w.Number(row, 1, row - 1);
            w.Text(row, 2, t.Name);
            w.Text(row, 3, AnnualFigures.PlatformName(figures.Input, t.Platform));
            w.Text(row, 4, t.Organization);
            w.Text(row, 5, t.Region);
            w.Number(row, 6, a.Inspected);
            w.Number(row, 7, a.Qualified);
            if (a.Activity is { } activity)
            {
                w.Text(row, 8, activity.NewestPost?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "未发现发布");
                w.Number(row, 9, activity.RecentPosts);
            }
            else
            {
                w.Text(row, 8, Dash);
                w.Text(row, 9, Dash);
            }

            w.Text(row, 10, a.Status);
            Cases(w, row, 11, a.Cases, open: false);
            row++;
        }

        w.Finish(1, row - 1, 13, header);
    }

    private static void About(IXLWorksheet ws, AnnualFigures figures, string header)
    {
        var w = new SheetWriter(ws);
        w.Header(1, "项目", "内容");
        var input = figures.Input;
        var s = input.Scoring;
        var rows = new List<(string, string)>
        {
            ("年度", input.Year.ToString(CultureInfo.InvariantCulture)),
            ("生成时间", input.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)),
            ("规则版本", input.RulesVersion),
            ("统计范围", $"检测时间点（as-of，按轮次自身的时区）在 {input.Year} 年内的检查轮次；只计已完成检查的对象。季度按检测时间点所在月份划分。"),
        };
        if (input.Rounds.Count == 0)
        {
            rows.Add(("检查轮次", NoRounds));
        }

        foreach (var round in input.Rounds)
        {
            var done = input.Inspections.Count(i => i.RoundId == round.Id);
            rows.Add(("检查轮次", string.Create(CultureInfo.InvariantCulture,
                $"{round.Id}（{(round.Kind == TargetKind.Website ? "政府网站" : "政务新媒体")}，检测时间点 {round.AsOf:yyyy-MM-dd HH:mm:ss zzz}，已检查 {done} 个{(round.Status == RoundStatus.Complete ? "" : "，本轮尚未完成")}）")));
        }

        rows.AddRange(
        [
            ("合格标准", string.Create(CultureInfo.InvariantCulture,
                $"与抽查情况通报相同：一次检查无单项否决问题，且扣分合计不超过 {s.DeductionLimit:0.#} 分为合格；提示类问题不计分（crawler-rules/scoring.yaml）")),
            ("抽查数", "按检查个次计：同一网站或账号在多个轮次中被抽查，每次计一次；全年为四个季度之和。不合格数同样按个次计。"),
            ("合格率", "（抽查数 − 不合格数）÷ 抽查数；抽查数为 0 时记“—”。"),
            ("年末名录", $"生成报表时名录中、{input.Year + 1} 年 1 月 1 日零时（最后一个轮次的时区，无轮次时为 +08:00）前登记的网站和账号；平台名称取自 crawler-rules/platforms。"),
            ("问题数", "本年度各轮次发现的单项否决和扣分问题，每条问题（检查项 + 对象）记一次，不计出现次数；提示类问题不计。每条问题都进入整改流程。"),
            ("已整改", "复查通过（verified）：复查读取了问题所在位置，问题已不存在。"),
            ("整改中", "已发现、已通知、已整改待复查、复查未通过（found / notified / claimed / reopened）。"),
            ("被新轮次取代", "之后的轮次重新检查了该对象（superseded），以新轮次的结果为准：问题若仍存在，在新轮次另计一条。"),
            ("整改率", "已整改 ÷（问题数 − 被新轮次取代）；分母为 0 时记“—”。各问题的状态为生成报表时的状态，下一年度的复查和轮次也会改变本年度问题的状态。"),
            ("栏目数 / 不更新栏目数", "该网站本年度最后一次检查发现的栏目数，及其中被判定为“栏目不更新”的个数。"),
            ("最近发布 / 发布数 / 运行状态", string.Create(CultureInfo.InvariantCulture,
                $"该账号本年度最后一次检查时读到的最新发布日期、检测时间点前 {input.RecentPostDays} 天内的发布数（crawler-rules/accounts.yaml recent_post_days）；运行状态：有“账号无法访问”问题为无法访问，有“睡眠账号”或“僵尸账号”问题为不更新，否则为正常。")),
            ("SiteWatch 可计算的内容", "检查轮次、抽查数、不合格数、合格率、年末名录数量、各检查项问题数及整改情况、每个网站和账号的检查次数、合格次数、栏目数、发布情况和整改率。"),
            ("需由填报单位填写的内容", "SiteWatch 不掌握以下数据，须由各单位在全国政府网站信息报送系统中填写：《政府网站监管年度报表》的安全检查、网站开设整合、“我为政府网站找错”平台网民留言办理、假冒政府网站处置、人员培训、问责人次；《政府网站工作年度报表》的访问量（独立用户访问总量、网站总访问量）、信息发布、专栏专题、解读回应、办事服务、互动交流、安全防护、移动新媒体、创新发展和公安机关备案号；《政务新媒体工作年度报表》的信息发布总数、原创数、关注/订阅数、留言收到/回复数、是否备案。"),
        ]);
        for (var i = 0; i < rows.Count; i++)
        {
            w.Text(i + 2, 1, rows[i].Item1);
            w.Text(i + 2, 2, rows[i].Item2);
        }

        w.Finish(1, rows.Count + 1, 2, header, filter: false);
    }

    /// <summary>A percentage, or — when there is nothing to divide by.</summary>
    private static void Rate(SheetWriter w, int row, int column, double? rate)
    {
        if (rate is { } value)
        {
            w.Number(row, column, value, "0.0%");
        }
        else
        {
            w.Text(row, column, Dash);
        }
    }

    /// <summary>问题数, 已整改, [整改中, 被新轮次取代,] 整改率 from <paramref name="column"/> on.</summary>
    private static void Cases(SheetWriter w, int row, int column, CaseCounts cases, bool open)
    {
        w.Number(row, column++, cases.Found);
        w.Number(row, column++, cases.Verified);
        if (open)
        {
            w.Number(row, column++, cases.Open);
            w.Number(row, column++, cases.Superseded);
        }

        Rate(w, row, column, cases.Rate);
    }

    private static void Empty(SheetWriter w, int lastColumn, string text, string header)
    {
        w.Text(2, 1, text);
        w.Sheet.Range(2, 1, 2, lastColumn).Merge();
        w.Finish(1, 2, lastColumn, header, filter: false);
    }
}
