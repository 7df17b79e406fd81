using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SiteWatch.Core.Checks;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Web;

/// <summary>
/// The general office's pages: the province at a glance (rounds, findings by check), a round's live progress, and
/// /healthz. The Hangfire dashboard (/jobs) answers local requests only until logins and roles exist.
/// </summary>
public static class WebEndpoints
{
    // Chinese stays Chinese in the page source (the default encoder writes &#x…; for every CJK character).
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static WebApplication MapSiteWatchWeb(this WebApplication app)
    {
        app.MapGet("/healthz", HealthAsync);
        app.MapGet("/", OverviewAsync);
        app.MapGet("/rounds/{id}", RoundAsync);
        app.UseHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new LocalRequestsOnlyAuthorizationFilter()],
            DashboardTitle = "SiteWatch 任务 (jobs)",
        });
        return app;
    }

    private static async Task<IResult> HealthAsync(Database database, CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM rounds";
            var rounds = Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            return Results.Json(new { status = "ok", database = "ok", rounds });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Results.Json(new { status = "unhealthy", database = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<IResult> OverviewAsync(RoundStore rounds, FindingStore findings, CancellationToken ct)
    {
        var body = new StringBuilder("<h1>全省概览 <small>Overview</small></h1>");
        var latest = await rounds.LatestAsync(ct);
        if (latest is null)
        {
            body.Append("<p>尚无检查轮次 (no rounds yet): schedules start them, or run <code>sitewatch inspect</code>.</p>");
            return Page("SiteWatch", body.ToString());
        }

        var progress = await rounds.TargetsAsync(latest.Id, ct);
        var all = await findings.ForRoundAsync(latest.Id, ct);
        body.Append(CultureInfo.InvariantCulture, $"<h2>最新轮次 Latest round: <a href=\"/rounds/{Html.Encode(latest.Id)}\">{Html.Encode(latest.Id)}</a></h2>");
        body.Append(CultureInfo.InvariantCulture, $"<p>{Html.Encode(latest.Kind.ToCode())} · as of {latest.AsOf:yyyy-MM-dd HH:mm zzz} · {progress.Count(p => p.Status == RoundTargetStatus.Done)}/{progress.Count} done · {(latest.Status == RoundStatus.Complete ? "完成 complete" : "进行中 running")}</p>");
        body.Append("<table><tr><th>检查项 Check</th><th>否决 Veto</th><th>扣分 Deduct</th><th>提示 Notice</th></tr>");
        foreach (var group in all.GroupBy(f => f.Finding.Check).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var name = ChecksRegistration.All.FirstOrDefault(c => c.Key == group.Key)?.DisplayName ?? group.Key;
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.Encode(name)} <code>{Html.Encode(group.Key)}</code></td><td>{group.Count(f => f.Finding.Severity == Severity.Veto)}</td><td>{group.Count(f => f.Finding.Severity == Severity.Deduct)}</td><td>{group.Count(f => f.Finding.Severity == Severity.Notice)}</td></tr>");
        }

        body.Append("</table>");
        return Page("SiteWatch 全省概览", body.ToString());
    }

    private static async Task<IResult> RoundAsync(string id, RoundStore rounds, FindingStore findings, CancellationToken ct)
    {
        if (await rounds.GetAsync(id, ct) is not { } round)
        {
            return Results.NotFound();
        }

        var progress = await rounds.TargetsAsync(round.Id, ct);
        var all = await findings.ForRoundAsync(round.Id, ct);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>轮次 Round {Html.Encode(round.Id)}</h1><p>{progress.Count(p => p.Status == RoundTargetStatus.Done)}/{progress.Count} targets done · {all.Count} findings · {(round.Status == RoundStatus.Complete ? "完成 complete" : "进行中 running (this page refreshes itself)")}</p>");
        body.Append("<table><tr><th>对象 Target</th><th>状态 State</th><th>页面 Pages</th><th>问题 Findings</th></tr>");
        foreach (var target in progress)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.Encode(target.TargetId)}</td><td>{target.Status}</td><td>{target.Pages}</td><td>{all.Count(f => f.TargetId == target.TargetId)}</td></tr>");
        }

        body.Append("</table>");
        return Page($"Round {round.Id}", body.ToString(), refresh: round.Status != RoundStatus.Complete);
    }

    private static IResult Page(string title, string body, bool refresh = false) => Results.Content($"""
        <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{Html.Encode(title)}</title>
        {(refresh ? "<meta http-equiv=\"refresh\" content=\"5\">" : "")}
        <style>body{"{"}font-family:"Noto Sans CJK SC",sans-serif;margin:2em{"}"} table{"{"}border-collapse:collapse{"}"} td,th{"{"}border:1px solid #ccc;padding:.3em .6em{"}"}</style>
        </head><body><nav><a href="/">概览 Overview</a> · <a href="/jobs">任务 Jobs</a> · <a href="/healthz">healthz</a></nav>{body}</body></html>
        """, "text/html; charset=utf-8");
}
