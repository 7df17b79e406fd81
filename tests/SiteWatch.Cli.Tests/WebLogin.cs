using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Cli.Tests;

/// <summary>Logins for the web tests: users stored with the real hasher, and an HttpClient that logs in through the form.</summary>
internal static partial class WebLogin
{
    public const string Password = "correct horse battery staple";

    public static Task AddUserAsync(UserStore users, string name, string role, string? organization = null)
    {
        var user = new User(name, "", role, organization, TimeProvider.System.GetUtcNow());
        return users.SaveAsync(user with { PasswordHash = new PasswordHasher<User>().HashPassword(user, Password) }, CancellationToken.None);
    }

    /// <summary>A client (cookies kept, redirects not followed) after a login through GET /login and its anti-forgery token.</summary>
    public static async Task<HttpClient> ClientAsync(string baseAddress, string? name, string password = Password)
    {
        var client = Anonymous(baseAddress);
        if (name is not null)
        {
            var answer = await PostLoginAsync(client, name, password);
            if (answer.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"login of {name} answered {(int)answer.StatusCode}");
            }
        }

        return client;
    }

    public static HttpClient Anonymous(string baseAddress) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseAddress) };

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string name, string password, bool withToken = true)
    {
        var form = await client.GetStringAsync("/login");
        var token = TokenField().Match(form);
        var fields = new Dictionary<string, string> { ["name"] = name, ["password"] = password, ["returnUrl"] = "/" };
        if (withToken)
        {
            fields[token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value);
        }

        return await client.PostAsync("/login", new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex TokenField();
}
