using System.Text;
using Microsoft.AspNetCore.Http;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.TestKit;

namespace SiteWatch.Crawling.Tests.Accounts;

/// <summary>What the account reader tests share: a fixed clock, services that send the given hosts to a fixture site, rows and platforms.</summary>
internal static class AccountFixtures
{
    /// <summary>The fetch time of every account test: Saturday 2026-11-21 12:00 in Beijing.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.FromHours(8));

    public static FakeClock Clock() => new(Now);

    public static TestServices Services(FakeClock clock, FakeSite site, params string[] hosts) =>
        Services(clock, site, null, hosts);

    public static TestServices Services(FakeClock clock, FakeSite site, IDictionary<string, string?>? extra, params string[] hosts)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var host in hosts)
        {
            settings[$"Network:ConnectTo:{host}"] = site.EndPoint;
        }

        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        return new TestServices(settings, clock);
    }

    public static Target Account(string url, string? account = null, string platform = "rss") => new()
    {
        Id = $"{platform}:{account ?? url}",
        Kind = TargetKind.Account,
        Name = "临江发布",
        Url = url,
        Organization = "临江县人民政府办公室",
        Region = "临江县",
        Platform = platform,
        Account = account,
    };

    public static PlatformRules Platform(string adapter, string? urlTemplate = null, string key = "test") => new()
    {
        Key = key,
        Name = key,
        Adapter = adapter,
        UrlTemplate = urlTemplate,
        ClosedPhrases = ["该账号已注销", "用户不存在", "账号已被封禁"],
    };

    public static DateTimeOffset Beijing(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.FromHours(8));

    /// <summary>Answers with the given text as the given content type.</summary>
    public static RequestDelegate Text(string body, string contentType, Encoding? encoding = null) => async c =>
    {
        c.Response.ContentType = contentType;
        await c.Response.Body.WriteAsync((encoding ?? Encoding.UTF8).GetBytes(body));
    };

    /// <summary>Answers <paramref name="status"/> (with Retry-After when given) the first <paramref name="times"/> requests, then the body.</summary>
    public static RequestDelegate ThrottledThen(int times, int status, int? retryAfterSeconds, string body, string contentType)
    {
        var count = 0;
        return async c =>
        {
            if (Interlocked.Increment(ref count) <= times)
            {
                c.Response.StatusCode = status;
                if (retryAfterSeconds is { } seconds)
                {
                    c.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return;
            }

            c.Response.ContentType = contentType;
            await c.Response.WriteAsync(body);
        };
    }
}
