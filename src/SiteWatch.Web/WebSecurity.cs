using System.Security.Claims;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Core.Model;

namespace SiteWatch.Web;

/// <summary>
/// Logins and roles: cookie authentication (HttpOnly, SameSite=Strict, Secure over https), passwords checked with
/// ASP.NET Core Identity's PBKDF2 hasher, anti-forgery on every form. Roles: admin, inspector, webmaster (scoped to
/// its organization).
/// </summary>
public static class WebSecurity
{
    public const string OrganizationClaim = "sitewatch:organization";

    public static IServiceCollection AddSiteWatchWeb(this IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = "sitewatch";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/login";
            o.AccessDeniedPath = "/login";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);

            // Logged in but not allowed (an inspector at an admin form): 403, not a loop back to the login page.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            o.SlidingExpiration = true;
        });
        services.AddAuthorization();
        services.AddAntiforgery(o => o.Cookie.Name = "sitewatch-af");
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        return services;
    }

    public static ClaimsPrincipal Principal(User user)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new(ClaimTypes.Role, user.Role) };
        if (user.Organization is { } organization)
        {
            claims.Add(new Claim(OrganizationClaim, organization));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>The organization a webmaster is limited to; null for the general office's roles (they see everything).</summary>
    public static string? Scope(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Webmaster) ? user.FindFirstValue(OrganizationClaim) ?? "\u0000none" : null;

    public static Task SignInAsync(HttpContext context, User user) =>
        context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(user));
}

/// <summary>The Hangfire dashboard (/jobs) is for the general office's admins only.</summary>
public sealed class AdminOnlyDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
}
