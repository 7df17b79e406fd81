using Microsoft.AspNetCore.Identity;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Cli.Commands;

/// <summary>
/// <c>sitewatch users add NAME --role admin|inspector|webmaster [--organization ORG]</c>: creates or updates a login of
/// the web pages. The password is read from standard input (one line) or SITEWATCH_PASSWORD — never a default, never
/// an argument that would stay in the shell history; only its PBKDF2 hash is stored.
/// </summary>
public static class UsersCommandHandler
{
    private const int MinimumLength = 10;

    public static async Task<int> AddAsync(App app, string name, string role, string? organization, TextReader input, CancellationToken ct)
    {
        if (!Roles.IsKnown(role))
        {
            throw new CliException($"--role '{role}' must be admin, inspector or webmaster");
        }

        if (role == Roles.Webmaster && string.IsNullOrWhiteSpace(organization))
        {
            throw new CliException("a webmaster needs --organization (the 主办单位 whose targets they see)");
        }

        var password = Environment.GetEnvironmentVariable("SITEWATCH_PASSWORD") ?? await input.ReadLineAsync(ct);
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength)
        {
            throw new CliException($"give a password of at least {MinimumLength} characters on standard input or in SITEWATCH_PASSWORD");
        }

        var user = new User(name.Trim(), "", role, role == Roles.Webmaster ? organization!.Trim() : null, app.Get<TimeProvider>().GetUtcNow());
        user = user with { PasswordHash = new PasswordHasher<User>().HashPassword(user, password) };
        await app.Get<UserStore>().SaveAsync(user, ct);
        await Console.Out.WriteLineAsync($"user {user.Name} ({user.Role}{(user.Organization is { } o ? $", {o}" : "")}) saved");
        return 0;
    }
}
