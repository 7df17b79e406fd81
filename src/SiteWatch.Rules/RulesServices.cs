using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Core.Rules;

namespace SiteWatch.Rules;

public static class RulesServices
{
    /// <summary>The rule set from the folder named by <c>Rules:Directory</c> (default <c>crawler-rules</c>), read once, plus <c>Checks:SeriousError:ExtraPhrases</c>.</summary>
    public static IServiceCollection AddSiteWatchRules(this IServiceCollection services, IConfiguration configuration)
    {
        var directory = configuration["Rules:Directory"] ?? "crawler-rules";
        var extra = configuration.GetSection("Checks:SeriousError:ExtraPhrases").GetChildren()
            .Select(c => c.Value?.Trim()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        services.AddSingleton<RuleSet>(_ =>
        {
            var rules = RuleLoader.Load(directory);
            return extra.Count == 0
                ? rules
                : rules with { SeriousError = rules.SeriousError with { Phrases = [.. rules.SeriousError.Phrases, .. extra.Except(rules.SeriousError.Phrases)] } };
        });
        return services;
    }
}
