using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Core.Rules;

namespace SiteWatch.Rules;

public static class RulesServices
{
    /// <summary>The rule set from the folder named by <c>Rules:Directory</c> (default <c>crawler-rules</c>), read once.</summary>
    public static IServiceCollection AddSiteWatchRules(this IServiceCollection services, IConfiguration configuration)
    {
        var directory = configuration["Rules:Directory"] ?? "crawler-rules";
        services.AddSingleton<RuleSet>(_ => RuleLoader.Load(directory));
        return services;
    }
}
