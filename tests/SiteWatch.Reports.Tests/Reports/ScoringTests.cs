using ClosedXML.Excel;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Scoring;
using SiteWatch.TestKit;

namespace SiteWatch.Reports.Tests.Reports;

/// <summary>scoring.yaml, the verdict, the deadline arithmetic and a round of accounts.</summary>
public sealed class ScoringTests
{
    [Fact]
    public void Load_ReadsTheShippedFile()
    {
        var rules = ScoringRulesLoader.Load(RepoPaths.Rules);

        Assert.Equal(40, rules.DeductionLimit);
        Assert.Equal(15, rules.NoticeDeadlineWorkingDays);
        Assert.Equal(new CheckScoring(1, 20, rules.Checks["dead-link"].Basis), rules.Checks["dead-link"]);
        Assert.All(Core.Checks.ChecksRegistration.All, c => Assert.False(string.IsNullOrEmpty(rules.For(c.Key).Basis), c.Key));
    }

    [Theory]
    [InlineData("deduction_limt: 40\n", @"scoring\.yaml:1: unknown key 'deduction_limt'")]
    [InlineData("deduction_limit: 40\nchecks:\n  dead-links:\n    points: 1\n", @"scoring\.yaml:3: 'dead-links' is not a check code")]
    [InlineData("checks:\n  dead-link:\n    points: lots\n", @"scoring\.yaml:3: 'lots' must be a number from 0 to 100")]
    [InlineData("notice_deadline_working_days: 0\n", @"scoring\.yaml:1: '0' must be a whole number from 1 to 250")]
    [InlineData("checks:\n  dead-link:\n    cap: 3\n", @"scoring\.yaml:3: 'dead-link' needs points")]
    [InlineData("checks: [\n", @"scoring\.yaml:\d+: ")]
    public void Load_NamesFileAndLine_OfAMistake(string yaml, string message)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("scoring.yaml"), yaml);

        var e = Assert.Throws<ScoringRulesException>(() => ScoringRulesLoader.Load(folder.Path));

        Assert.Matches(message, e.Message);
    }

    [Fact]
    public void Judge_CapsEachCheck_CountsNoNotice_AndPassesAtTheLimit()
    {
        var rules = ScoringRulesLoader.Load(RepoPaths.Rules);
        var atLimit = Many("dead-link", 30).Concat(Many("stale-column", 10)).Concat(Many("not-checked", 5, Severity.Notice)).ToList();

        var verdict = Verdict.Judge(atLimit, rules);

        Assert.Equal(40, verdict.Deduction); // 30 dead links capped at 20, 10 stale columns × 2
        Assert.True(verdict.Qualified);
        Assert.False(Verdict.Judge([.. atLimit, .. Many("missing-identity", 1)], rules).Qualified);
        Assert.False(Verdict.Judge(Many("commercial-ad", 1, Severity.Veto).ToList(), rules).Qualified);
        Assert.True(Verdict.Judge(Many("tls-invalid", 3, Severity.Notice).ToList(), rules).Qualified);
    }

    [Theory]
    [InlineData("2026-11-20", 1, "2026-11-23")] // Friday → Monday
    [InlineData("2026-11-21", 1, "2026-11-23")] // Saturday → Monday
    [InlineData("2026-11-19", 2, "2026-11-23")] // Thursday → Friday, Monday
    [InlineData("2026-11-20", 15, "2026-12-11")]
    [InlineData("2026-12-25", 5, "2027-01-01")] // across the year; 元旦 is not known as a holiday
    public void WorkingDays_SkipWeekends(string start, int days, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            WorkingDays.Add(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), days));

    [Fact]
    public async Task AccountRound_FillsTheAccountSheet_AndSaysWebsitesWereNotSampled()
    {
        await using var fixture = await ReportFixture.CreateAsync(TargetKind.Account);
        var (_, _, result) = await fixture.WriteAsync();

        using var book = new XLWorkbook(result.Notification);
        Assert.Equal("本轮未抽查", book.Worksheet("不合格网站").Cell(2, 1).GetString());
        var accounts = book.Worksheet("不合格新媒体");
        Assert.Equal(["1", "临江县", "临江发布", "weibo", "临江县人民政府办公室", "睡眠账号（最新发布 2026-10-01，50天）"],
            Enumerable.Range(1, 6).Select(c => accounts.Cell(2, c).GetFormattedString()).ToArray());
        var overview = book.Worksheet("总体情况");
        Assert.Equal(["全省合计", "—", "—", "—", "2", "1"], Enumerable.Range(1, 6).Select(c => overview.Cell(4, c).GetFormattedString()).ToArray());
        Assert.Equal(0.5, overview.Cell(4, 7).GetDouble());
        Assert.Equal("政务新媒体", book.Worksheet("说明").Cell(3, 2).GetString());
        var notice = Assert.Single(result.Notices);
        Assert.EndsWith("weibo_lj-临江发布.xlsx", notice, StringComparison.Ordinal);
    }

    private static IEnumerable<Finding> Many(string check, int count, Severity severity = Severity.Deduct) => Enumerable.Range(1, count)
        .Select(i => new Finding
        {
            Check = check, Severity = severity, Url = "http://x.gov.cn/", Subject = $"s{i}", Detail = "d", ObservedAt = ReportFixture.AsOf,
        });
}
