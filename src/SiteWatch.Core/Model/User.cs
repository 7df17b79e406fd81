namespace SiteWatch.Core.Model;

/// <summary>Roles of the web pages: the general office, its inspectors, and a unit's webmaster.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Inspector = "inspector";
    public const string Webmaster = "webmaster";

    public static bool IsKnown(string role) => role is Admin or Inspector or Webmaster;
}

/// <summary>A person who logs in; a webmaster belongs to an organization (主办单位) and sees only its targets.</summary>
public sealed record User(string Name, string PasswordHash, string Role, string? Organization, DateTimeOffset CreatedAt);
