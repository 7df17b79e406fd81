using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SiteWatch.Reports;

public static class ReportsServices
{
    /// <summary>Spreadsheets in and out: the targets-file reader (the 通报 and 整改通知 workbooks join it).</summary>
    public static IServiceCollection AddSiteWatchReports(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
