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
public sealed class ReportRules(string rulesDirectory)
{
    public string Directory { get; } = rulesDirectory;

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

public static class ReportServices
{
    /// <summary>The report rules of the folder named by <c>Rules:Directory</c> (default <c>crawler-rules</c>).</summary>
    public static IServiceCollection AddSiteWatchReports(this IServiceCollection services, IConfiguration configuration)
    {
        var directory = configuration["Rules:Directory"] ?? "crawler-rules";
        services.AddSingleton(new ReportRules(directory));
        return services;
    }
}
