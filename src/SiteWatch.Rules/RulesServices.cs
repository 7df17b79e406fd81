using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Core.Rules;

namespace SiteWatch.Rules;

public static class RulesServices
{
    /// <summary>
    /// The rule set from the folder named by <c>Rules:Directory</c> (default <c>crawler-rules</c>), read once, plus
    /// <c>Checks:SeriousError:ExtraPhrases</c>; <c>Geo:HomeCountries</c>, when set, replaces overseas-host.yaml's home_countries.
    /// </summary>
    public static IServiceCollection AddSiteWatchRules(this IServiceCollection services, IConfiguration configuration)
    {
        var directory = configuration["Rules:Directory"] ?? "crawler-rules";
        var extra = configuration.GetSection("Checks:SeriousError:ExtraPhrases").GetChildren()
            .Select(c => c.Value?.Trim()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        var homeCountries = configuration.GetSection("Geo:HomeCountries").GetChildren()
            .Select(c => c.Value?.Trim()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        var rssHub = configuration["Accounts:RssHub"];
        services.AddSingleton<RuleSet>(_ =>
        {
            var rules = RuleLoader.Load(directory);
            if (extra.Count > 0)
            {
                rules = rules with { SeriousError = rules.SeriousError with { Phrases = [.. rules.SeriousError.Phrases, .. extra.Except(rules.SeriousError.Phrases)] } };
            }

            if (homeCountries.Count > 0)
            {
                if (homeCountries.FirstOrDefault(c => !RuleLoader.IsCountryCode(c.ToUpperInvariant())) is { } bad)
                {
                    throw new InvalidOperationException($"Geo:HomeCountries '{bad}' is not a country code: two letters (ISO 3166-1 alpha-2) such as CN");
                }

                rules = rules with { OverseasHost = rules.OverseasHost with { HomeCountries = homeCountries.Select(c => c.ToUpperInvariant()).Distinct().ToList() } };
            }

            // {rsshub} in a platform's url_template is the general office's own RSSHub instance (Accounts:RssHub).
            if (rssHub is { Length: > 0 })
            {
                rules = rules with
                {
                    Platforms = rules.Platforms.ToDictionary(p => p.Key,
                        p => p.Value with { UrlTemplate = p.Value.UrlTemplate?.Replace("{rsshub}", rssHub.TrimEnd('/'), StringComparison.Ordinal) },
                        StringComparer.OrdinalIgnoreCase),
                };
            }

            return rules;
        });
        return services;
    }
}
