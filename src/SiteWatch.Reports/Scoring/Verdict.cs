using SiteWatch.Core.Model;

namespace SiteWatch.Reports.Scoring;

/// <summary>A target's verdict in a round: 合格 or not, and why.</summary>
/// <param name="Deduction">Points lost to deduct findings, each check capped at its own cap.</param>
public sealed record Verdict(bool Qualified, bool Vetoed, decimal Deduction, IReadOnlyList<Finding> Findings)
{
    /// <summary>
    /// checks.md "Verdict": 不合格 with any veto finding, or with more than <see cref="ScoringRules.DeductionLimit"/>
    /// points of deductions. Notice findings never count.
    /// </summary>
    public static Verdict Judge(IReadOnlyList<Finding> findings, ScoringRules rules)
    {
        var vetoed = findings.Any(f => f.Severity == Severity.Veto);
        var deduction = findings.Where(f => f.Severity == Severity.Deduct)
            .GroupBy(f => f.Check, StringComparer.Ordinal)
            .Sum(g =>
            {
                var scoring = rules.For(g.Key);
                var points = scoring.Points * g.Count();
                return scoring.Cap is { } cap ? Math.Min(points, cap) : points;
            });
        return new Verdict(!vetoed && deduction <= rules.DeductionLimit, vetoed, deduction, findings);
    }
}
