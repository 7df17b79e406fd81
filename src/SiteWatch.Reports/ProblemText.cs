using System.Globalization;
using System.Text.RegularExpressions;
using SiteWatch.Core.Checks;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Scoring;

namespace SiteWatch.Reports;

/// <summary>The words the reports use for checks, severities and a target's problems.</summary>
public static partial class ProblemText
{
    private static readonly Dictionary<string, string> Names =
        ChecksRegistration.All.ToDictionary(c => c.Key, c => c.DisplayName, StringComparer.Ordinal);

    private static readonly Dictionary<string, string> IdentityMarks = new(StringComparer.Ordinal)
    {
        ["site-code"] = "政府网站标识码", ["icp"] = "ICP备案编号", ["psb"] = "公安机关备案号", ["party-gov-badge"] = "党政机关网站标识",
    };

    /// <summary>The check's Chinese name (ChecksRegistration's DisplayName); the code itself for an unknown check.</summary>
    public static string CheckName(string check) => Names.GetValueOrDefault(check, check);

    public static string SeverityName(Severity severity) => severity switch
    {
        Severity.Veto => "否决",
        Severity.Deduct => "扣分",
        _ => "提示",
    };

    /// <summary>
    /// A target's problems in plain Chinese, veto checks first, then deduct, each check once
    /// ("首页不更新（最新信息 2026-10-01，53天）；链接不可用 12 处"); notices are left out. When the target failed on
    /// points alone the sum is named.
    /// </summary>
    public static string Summary(Verdict verdict, ScoringRules rules)
    {
        var parts = verdict.Findings.Where(f => f.Severity != Severity.Notice)
            .GroupBy(f => f.Check, StringComparer.Ordinal)
            .OrderByDescending(g => g.Max(f => f.Severity))
            .ThenBy(g => Order(g.Key))
            .Select(g => Describe(g.Key, g.ToList()))
            .ToList();
        if (!verdict.Vetoed && verdict.Deduction > rules.DeductionLimit)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"扣分合计 {verdict.Deduction:0.#} 分（超过 {rules.DeductionLimit:0.#} 分）"));
        }

        return string.Join("；", parts);
    }

    private static int Order(string check)
    {
        var i = ChecksRegistration.All.ToList().FindIndex(c => c.Key == check);
        return i < 0 ? int.MaxValue : i;
    }

    private static string Describe(string check, List<Finding> findings)
    {
        var name = CheckName(check);
        switch (check)
        {
            case "stale-homepage" when findings.Count == 1:
                var home = HomeAge().Match(findings[0].Detail);
                return home.Success ? $"{name}（最新信息 {home.Groups[1].Value}，{home.Groups[2].Value}天）"
                    : findings[0].Detail.StartsWith("no dated item", StringComparison.Ordinal) ? $"{name}（首页信息均未注明发布日期）" : name;
            case "sleeping-account" when findings.Count == 1:
                var post = PostAge().Match(findings[0].Detail);
                return post.Success ? $"{name}（最新发布 {post.Groups[1].Value}，{post.Groups[2].Value}天）" : name;
            case "missing-identity":
                return $"{name}（{string.Join("、", findings.Select(f => IdentityMarks.GetValueOrDefault(f.Subject, f.Subject)))}）";
            case "stale-column" or "blank-column":
                return string.Create(CultureInfo.InvariantCulture, $"{name} {findings.Count} 个");
            case "overseas-host" or "tls-invalid":
                return $"{name}（{string.Join("、", findings.Select(f => f.Subject))}）";
            case "serious-error":
                return $"{name}（{string.Join("、", findings.Select(f => "“" + f.Subject + "”"))}）";
            default:
                return findings.Count == 1 ? name : string.Create(CultureInfo.InvariantCulture, $"{name} {findings.Count} 处");
        }
    }

    [GeneratedRegex(@"is (\d{4}-\d{2}-\d{2}), (\d+) days")]
    private static partial Regex HomeAge();

    [GeneratedRegex(@"newest post (\d{4}-\d{2}-\d{2})[^,]*, (\d+) days")]
    private static partial Regex PostAge();
}
