using System.Security.Cryptography;
using System.Text;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Scoring;

namespace SiteWatch.Reports;

/// <summary>
/// Everything a round's reports are made from, gathered by the caller (the CLI reads it from storage):
/// the round, the targets of its sample that were inspected, their findings, the scoring, and where the rules came from.
/// </summary>
/// <param name="Targets">The inspected targets of the round's sample (every one, with or without findings).</param>
/// <param name="SampledCount">How many targets the sample holds (more than <paramref name="Targets"/> while the round is unfinished).</param>
/// <param name="RulesVersion">See <see cref="Reports.RulesVersion.Compute"/>.</param>
public sealed record ReportInput(
    Round Round,
    IReadOnlyList<Target> Targets,
    int SampledCount,
    IReadOnlyList<RoundFinding> Findings,
    ScoringRules Scoring,
    string RulesVersion,
    DateTimeOffset GeneratedAt)
{
    /// <summary>The correction deadline of the round's notices: as-of plus the configured working days.</summary>
    public DateOnly NoticeDeadline => WorkingDays.Add(Round.AsOfDay, Scoring.NoticeDeadlineWorkingDays);
}

/// <summary>The version of the policy a report was judged by.</summary>
public static class RulesVersion
{
    /// <summary>
    /// The first 12 hex digits of a SHA-256 over every file under the crawler-rules folder (relative path with '/',
    /// then its bytes, in ordinal path order): two reports with the same version were judged by identical rules.
    /// </summary>
    public static string Compute(string rulesDirectory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = Directory.GetFiles(rulesDirectory, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(rulesDirectory, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (full, relative) in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(relative + "\0"));
            hash.AppendData(File.ReadAllBytes(full));
            hash.AppendData("\0"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }
}

/// <summary>Working days (工作日) for the correction deadline.</summary>
public static class WorkingDays
{
    /// <summary>
    /// <paramref name="start"/> plus <paramref name="days"/> working days, skipping Saturdays and Sundays. Public
    /// holidays and the weekend days worked in their place (调休) are not known: scoring.yaml documents this.
    /// </summary>
    public static DateOnly Add(DateOnly start, int days)
    {
        var date = start;
        while (days > 0)
        {
            date = date.AddDays(1);
            if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                days--;
            }
        }

        return date;
    }
}
