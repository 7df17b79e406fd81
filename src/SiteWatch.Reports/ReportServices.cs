using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Scoring;

namespace SiteWatch.Reports;

/// <summary>
/// Where the reports' policy lives: the crawler-rules folder named by <c>Rules:Directory</c> (scoring.yaml and the
/// rules version). Read on each call, like <c>sitewatch report</c>, so an edited scoring.yaml counts from the next
/// report or page on.
/// </summary>
public sealed class ReportRules(string rulesDirectory, string outputDirectory = "reports")
{
    public string Directory { get; } = rulesDirectory;

    /// <summary>Where the service writes the reports it issues (<c>Reports:Output</c>, default <c>reports/</c>, as <c>sitewatch report</c>).</summary>
    public string OutputDirectory { get; } = outputDirectory;

    /// <exception cref="ScoringRulesException">scoring.yaml is missing or wrong (file:line).</exception>
    public ScoringRules LoadScoring() => ScoringRulesLoader.Load(Directory);

    public string Version() => RulesVersion.Compute(Directory);
}

/// <summary>
/// Port: a round's report input gathered from storage (inspected targets, their findings, scoring, rules version).
/// Implemented where storage and reports meet (Scheduling's RoundReports), so the CLI's reports and the web pages
/// judge a round from the same data.
/// </summary>
public interface IRoundReportSource
{
    Task<ReportInput> GatherAsync(Round round, CancellationToken ct);
}

/// <summary>Port: a calendar year's figures gathered from storage for the annual tables (Scheduling's AnnualReports).</summary>
public interface IAnnualReportSource
{
    /// <exception cref="Scoring.ScoringRulesException">scoring.yaml is missing or wrong.</exception>
    Task<Annual.AnnualInput> GatherAsync(int year, CancellationToken ct);
}

/// <summary>What issuing a round's notices did: the workbooks written, and (when mailed) each notice's mail outcome.</summary>
/// <param name="Mailed">Null when not mailed.</param>
public sealed record NoticeIssue(Round Round, ReportInput Input, ReportResult Result, IReadOnlyList<Mail.MailOutcome>? Mailed, string? MailServer);

/// <summary>
/// Port: issue a round's correction notices — write the 通报 and every 整改通知, record them as notified with their
/// deadline, and optionally mail each to its target's contact. One path for <c>sitewatch report</c> and the web page.
/// </summary>
public interface INoticeIssuer
{
    /// <exception cref="Scoring.ScoringRulesException">scoring.yaml is missing or wrong.</exception>
    /// <exception cref="Mail.NoticeMailException">Mailing was asked for and the SMTP server could not be used (one line).</exception>
    Task<NoticeIssue> IssueAsync(string? roundId, string outDirectory, bool mail, CancellationToken ct);
}

public static class ReportServices
{
    /// <summary>The report rules of the folder named by <c>Rules:Directory</c> (default <c>crawler-rules</c>).</summary>
    public static IServiceCollection AddSiteWatchReports(this IServiceCollection services, IConfiguration configuration)
    {
        var directory = configuration["Rules:Directory"] ?? "crawler-rules";
        services.AddSingleton(new ReportRules(directory, configuration["Reports:Output"] ?? "reports"));
        services.Configure<Mail.MailOptions>(configuration.GetSection(Mail.MailOptions.Section));
        return services;
    }
}
