using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Core.Model;
using SiteWatch.Reports;
using SiteWatch.Reports.Scoring;
using SiteWatch.Storage;

namespace SiteWatch.Web;

/// <summary>
/// The general office's pages: the province at a glance (rounds, pass rates by region, findings by check), a round's
/// live progress and its notification workbook, and /healthz. The Hangfire dashboard (/jobs) answers local requests only until logins and roles exist.
/// </summary>
public static class WebEndpoints
{
    // Chinese stays Chinese in the page source (the default encoder writes &#x…; for every CJK character).
    internal static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static WebApplication MapSiteWatchWeb(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapGet("/healthz", HealthAsync).AllowAnonymous();
        app.MapGet("/login", LoginForm).AllowAnonymous();
        app.MapPost("/login", LoginAsync).AllowAnonymous();
        app.MapPost("/logout", async (HttpContext context, [FromForm] string? ignored) =>
        {
            await context.SignOutAsync();
            return Results.Redirect("/login");
        }).RequireAuthorization();
        app.MapGet("/", OverviewAsync).RequireAuthorization();
        app.MapGet("/rounds/{id}", RoundAsync).RequireAuthorization();
        app.MapGet("/rounds/{id}/targets/{target}", TargetFindingsAsync).RequireAuthorization();
        app.MapGet("/annual/{year:int}.xlsx", AnnualAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Inspector));
        app.MapGet("/rounds/{id}/report.xlsx", NotificationAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Inspector));
        app.MapTargetPages();
        app.MapNoticePages();
        app.MapSchedulePages();
        app.UseHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new AdminOnlyDashboardFilter()],
            DashboardTitle = "SiteWatch 任务 (jobs)",
        });
        return app;
    }

    private static IResult LoginForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl)
    {
        var token = antiforgery.GetAndStoreTokens(context);
        return Page("登录 Login", $"""
            <h1>登录 <small>Log in</small></h1>
            <form method="post" action="/login">
            <input type="hidden" name="{Html.Encode(token.FormFieldName)}" value="{Html.Encode(token.RequestToken ?? "")}">
            <input type="hidden" name="returnUrl" value="{Html.Encode(returnUrl ?? "/")}">
            <p><label>用户名 Name <input name="name" autocomplete="username" required></label></p>
            <p><label>密码 Password <input name="password" type="password" autocomplete="current-password" required></label></p>
            <p><button type="submit">登录 Log in</button></p></form>
            """);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, [FromForm] string name, [FromForm] string password, [FromForm] string? returnUrl,
        UserStore users, IPasswordHasher<User> hasher, CancellationToken ct)
    {
        var user = await users.GetAsync(name.Trim(), ct);
        if (user is null || hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            return Page("登录 Login", "<h1>登录失败 Login failed</h1><p>用户名或密码不正确 (wrong name or password). <a href=\"/login\">再试 Try again</a></p>",
                status: StatusCodes.Status401Unauthorized);
        }

        await WebSecurity.SignInAsync(context, user);

        // Only local paths: a login link must not bounce a user to another site.
        var target = returnUrl is { Length: > 1 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/";
        return Results.Redirect(target);
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

    private static async Task<IResult> OverviewAsync(HttpContext context, RoundStore rounds, FindingStore findings, TargetStore targets, IRoundReportSource reports,
        CorrectionStore corrections, TimeProvider time, CancellationToken ct)
    {
        var scope = WebSecurity.Scope(context.User);
        var body = new StringBuilder("<h1>全省概览 <small>Overview</small></h1>");
        var latest = await rounds.LatestAsync(ct);
        if (latest is null)
        {
            body.Append("<p>尚无检查轮次 (no rounds yet): schedules start them, or run <code>sitewatch inspect</code>.</p>");
            return Page("SiteWatch", body.ToString());
        }

        var visible = await VisibleTargetsAsync(targets, scope, ct);
        var progress = (await rounds.TargetsAsync(latest.Id, ct)).Where(p => visible is null || visible.Contains(p.TargetId)).ToList();
        var all = (await findings.ForRoundAsync(latest.Id, ct)).Where(f => visible is null || visible.Contains(f.TargetId)).ToList();
        body.Append(CultureInfo.InvariantCulture, $"<h2>最新轮次 Latest round: <a href=\"/rounds/{Html.Encode(latest.Id)}\">{Html.Encode(latest.Id)}</a></h2>");
        body.Append(CultureInfo.InvariantCulture, $"<p>{Html.Encode(latest.Kind.ToCode())} · as of {latest.AsOf:yyyy-MM-dd HH:mm zzz} · {progress.Count(p => p.Status == RoundTargetStatus.Done)}/{progress.Count} done · {(latest.Status == RoundStatus.Complete ? "完成 complete" : "进行中 running")}</p>");
        var registry = await targets.GetManyAsync(progress.Select(p => p.TargetId), ct);
        body.Append("<h3>按地区 By region</h3><table><tr><th>地区 Region</th><th>抽查 Drawn</th><th>已查 Done</th><th>含否决项 With a veto</th><th>问题 Findings</th></tr>");
        foreach (var region in progress.GroupBy(p => registry.TryGetValue(p.TargetId, out var t) ? t.Region : "?").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ids = region.Select(p => p.TargetId).ToHashSet(StringComparer.Ordinal);
            var vetoed = all.Where(f => ids.Contains(f.TargetId) && f.Finding.Severity == Severity.Veto).Select(f => f.TargetId).Distinct().Count();
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.Encode(region.Key)}</td><td>{ids.Count}</td><td>{region.Count(p => p.Status == RoundTargetStatus.Done)}</td><td>{vetoed}</td><td>{all.Count(f => ids.Contains(f.TargetId))}</td></tr>");
        }

        body.Append("</table>");
        await PassRatesAsync(body, rounds, reports, visible, ct);
        body.Append("<h3>本轮问题 Findings of this round by check</h3>");
        body.Append("<table><tr><th>检查项 Check</th><th>否决 Veto</th><th>扣分 Deduct</th><th>提示 Notice</th></tr>");
        foreach (var group in all.GroupBy(f => f.Finding.Check).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var name = ProblemText.CheckName(group.Key);
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.Encode(name)} <code>{Html.Encode(group.Key)}</code></td><td>{group.Count(f => f.Finding.Severity == Severity.Veto)}</td><td>{group.Count(f => f.Finding.Severity == Severity.Deduct)}</td><td>{group.Count(f => f.Finding.Severity == Severity.Notice)}</td></tr>");
        }

        body.Append("</table>");
        await OpenFindingsAsync(body, corrections, visible, CorrectionStates.Today(time.GetUtcNow()), ct);
        if (context.User.IsInRole(Roles.Admin) || context.User.IsInRole(Roles.Inspector))
        {
            var year = latest.AsOf.Year;
            body.Append(CultureInfo.InvariantCulture, $"<p>年度报表 Annual tables: <a href=\"/annual/{year}.xlsx\">{year}</a> · <a href=\"/annual/{year - 1}.xlsx\">{year - 1}</a></p>");
        }
        return Page("SiteWatch 全省概览", body.ToString());
    }

    /// <summary>The correction loop at a glance: open cases of every round by check, those waiting for a re-check, and overdue ones.</summary>
    private static async Task OpenFindingsAsync(StringBuilder body, CorrectionStore corrections, HashSet<string>? visible, DateOnly today, CancellationToken ct)
    {
        var open = (await corrections.ListAsync(openOnly: true, ct)).Where(c => visible is null || visible.Contains(c.TargetId)).ToList();
        body.Append(CultureInfo.InvariantCulture, $"<h3>未整改问题 Open findings <small><a href=\"/notices\">{open.Count} 条</a> · <a href=\"/notices?state=overdue\">{open.Count(c => c.IsOverdue(today))} 逾期 overdue</a></small></h3>");
        body.Append("<table><tr><th>检查项 Check</th><th>未整改 Open</th><th>待复查 Claimed fixed</th><th>复查未通过 Reopened</th><th>逾期 Overdue</th></tr>");
        foreach (var group in open.GroupBy(c => c.Finding.Check).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var name = ProblemText.CheckName(group.Key);
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.Encode(name)} <code>{Html.Encode(group.Key)}</code></td><td>{group.Count()}</td><td>{group.Count(c => c.State == CorrectionState.Claimed)}</td><td>{group.Count(c => c.State == CorrectionState.Reopened)}</td><td>{group.Count(c => c.IsOverdue(today))}</td></tr>");
        }

        body.Append("</table>");
    }

    /// <summary>
    /// 抽查数 / 合格数 / 合格率 by region and for the province, for the latest complete round of each kind, judged exactly as
    /// the notification judges it (the round's inspected targets, Verdict.Judge with scoring.yaml).
    /// </summary>
    private static async Task PassRatesAsync(StringBuilder body, RoundStore rounds, IRoundReportSource reports, HashSet<string>? visible, CancellationToken ct)
    {
        foreach (var (kind, label) in new[] { (TargetKind.Website, "网站 Websites"), (TargetKind.Account, "新媒体 Accounts") })
        {
            body.Append(CultureInfo.InvariantCulture, $"<h3>合格率 Pass rate · {label}</h3>");
            if (await rounds.LatestCompleteAsync(kind, ct) is not { } round)
            {
                body.Append("<p>尚无已完成的轮次 (no complete round yet).</p>");
                continue;
            }

            ReportInput input;
            try
            {
                input = await reports.GatherAsync(round, ct);
            }
            catch (ScoringRulesException e)
            {
                body.Append(CultureInfo.InvariantCulture, $"<p class=\"error\">评分规则有误 (scoring rules cannot be read): {Html.Encode(e.Message)}</p>");
                continue;
            }

            var verdicts = ReportWriter.Judge(input);
            var inspected = input.Targets.Where(t => visible is null || visible.Contains(t.Id)).ToList();
            body.Append(CultureInfo.InvariantCulture, $"<p>轮次 Round <a href=\"/rounds/{Html.Encode(round.Id)}\">{Html.Encode(round.Id)}</a> · as of {round.AsOf:yyyy-MM-dd HH:mm zzz}</p>");
            body.Append(CultureInfo.InvariantCulture, $"<table class=\"pass-rate-{kind.ToCode()}\"><tr><th>地区 Region</th><th>抽查数 Inspected</th><th>合格数 Qualified</th><th>合格率 Pass rate</th></tr>");
            foreach (var region in inspected.GroupBy(t => t.Region, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                body.Append(RateRow(Html.Encode(region.Key), region.Count(), region.Count(t => verdicts[t.Id].Qualified)));
            }

            body.Append(RateRow(visible is null ? "<b>全省合计 Province total</b>" : "<b>合计 Total</b>", inspected.Count, inspected.Count(t => verdicts[t.Id].Qualified)));
            body.Append("</table>");
        }
    }

    private static string RateRow(string label, int inspected, int qualified) => string.Create(CultureInfo.InvariantCulture,
        $"<tr><td>{label}</td><td>{inspected}</td><td>{qualified}</td><td>{(inspected == 0 ? "—" : $"{100.0 * qualified / inspected:0.0}%")}</td></tr>");

    /// <summary>The round's notification (通报) workbook, written by the Reports project into a temp folder and sent as a download.</summary>
    /// <summary>The annual tables of a calendar year (年度报表-YYYY.xlsx), written on demand as `sitewatch report --year` writes them.</summary>
    private static async Task<IResult> AnnualAsync(int year, IAnnualReportSource annual, CancellationToken ct)
    {
        if (year is < 2000 or > 2100)
        {
            return Results.NotFound();
        }

        Reports.Annual.AnnualInput input;
        try
        {
            input = await annual.GatherAsync(year, ct);
        }
        catch (ScoringRulesException e)
        {
            return Page("年度报表 Annual tables", $"<h1>无法生成 Cannot write the annual tables</h1><p>{Html.Encode(e.Message)}</p>", status: StatusCodes.Status500InternalServerError);
        }

        return await WorkbookAsync(folder => Reports.Annual.AnnualReport.Write(input, folder).Path, ct);
    }

    private static async Task<IResult> NotificationAsync(string id, RoundStore rounds, IRoundReportSource reports, CancellationToken ct)
    {
        if (await rounds.GetAsync(id, ct) is not { } round)
        {
            return Results.NotFound();
        }

        ReportInput input;
        try
        {
            input = await reports.GatherAsync(round, ct);
        }
        catch (ScoringRulesException e)
        {
            return Page("通报 Notification", $"<h1>无法生成 Cannot write the notification</h1><p>{Html.Encode(e.Message)}</p>", status: StatusCodes.Status500InternalServerError);
        }

        return await WorkbookAsync(folder => ReportWriter.WriteNotification(input, folder), ct);
    }

    /// <summary>
    /// A workbook written on demand into a folder of its own under the temp folder, sent, and the folder removed; 404
    /// when <paramref name="write"/> has nothing to write. Results.File sends Content-Disposition with an ASCII filename
    /// and filename*=UTF-8'' for the Chinese name (通报-….xlsx).
    /// </summary>
    internal static async Task<IResult> WorkbookAsync(Func<string, string?> write, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sitewatch-download-{Guid.NewGuid():N}");
        try
        {
            return write(folder) is { } path
                ? Results.File(await File.ReadAllBytesAsync(path, ct), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Path.GetFileName(path))
                : Results.NotFound();
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<IResult> RoundAsync(HttpContext context, string id, RoundStore rounds, FindingStore findings, TargetStore targets, ProbeStore probes, CancellationToken ct)
    {
        if (await rounds.GetAsync(id, ct) is not { } round)
        {
            return Results.NotFound();
        }

        var visible = await VisibleTargetsAsync(targets, WebSecurity.Scope(context.User), ct);
        var progress = (await rounds.TargetsAsync(round.Id, ct)).Where(p => visible is null || visible.Contains(p.TargetId)).ToList();
        var all = (await findings.ForRoundAsync(round.Id, ct)).Where(f => visible is null || visible.Contains(f.TargetId)).ToList();
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>轮次 Round {Html.Encode(round.Id)}</h1>");
        if (context.User.IsInRole(Roles.Admin) || context.User.IsInRole(Roles.Inspector))
        {
            body.Append(CultureInfo.InvariantCulture, $"<form method=\"get\" action=\"/rounds/{Html.Encode(Uri.EscapeDataString(round.Id))}/report.xlsx\"><button>下载通报 Download the notification (.xlsx)</button></form>");
            var token = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
            body.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="/rounds/{Html.Encode(Uri.EscapeDataString(round.Id))}/notices">
                <input type="hidden" name="{Html.Encode(token.FormFieldName)}" value="{Html.Encode(token.RequestToken ?? "")}">
                <button>发出整改通知 Issue the correction notices</button> <label><input type="checkbox" name="mail"> 同时邮件发送 also mail them (Mail:*)</label></form>
                """);
        }

        body.Append(CultureInfo.InvariantCulture, $"<p>{progress.Count(p => p.Status == RoundTargetStatus.Done)}/{progress.Count} targets done · {all.Count} findings · {(round.Status == RoundStatus.Complete ? "完成 complete" : "进行中 running (this page refreshes itself)")}</p>");
        body.Append("<table><tr><th>对象 Target</th><th>状态 State</th><th>页面 Pages</th><th>问题 Findings</th><th>可用率 Availability (7 days)</th></tr>");
        foreach (var target in progress)
        {
            // The availability figure of the 7 days before as-of, from the service's probes (none for accounts or without probes).
            var window = await probes.WindowAsync(target.TargetId, round.AsOf.AddDays(-7), round.AsOf, ct);
            var availability = window.Probes == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{100 - window.FailureRate * 100:0.0}% ({window.Probes} probes)");
            body.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"/rounds/{Html.Encode(round.Id)}/targets/{Html.Encode(target.TargetId)}\">{Html.Encode(target.TargetId)}</a></td><td>{target.Status}</td><td>{target.Pages}</td><td>{all.Count(f => f.TargetId == target.TargetId)}</td><td>{availability}</td></tr>");
        }

        body.Append("</table>");
        return Page($"Round {round.Id}", body.ToString(), refresh: round.Status != RoundStatus.Complete);
    }

    /// <summary>A target's findings in a round with their evidence; a webmaster gets 404 for another organization's target.</summary>
    private static async Task<IResult> TargetFindingsAsync(HttpContext context, string id, string target, string? check, string? severity, FindingStore findings, TargetStore targets, CancellationToken ct)
    {
        var visible = await VisibleTargetsAsync(targets, WebSecurity.Scope(context.User), ct);
        if (visible is not null && !visible.Contains(target))
        {
            return Results.NotFound();
        }

        var mine = (await findings.ForRoundAsync(id, ct)).Where(f => f.TargetId == target).ToList();
        var checks = mine.Select(f => f.Finding.Check).Distinct().Order(StringComparer.Ordinal).ToList();
        mine = mine.Where(f => (string.IsNullOrEmpty(check) || f.Finding.Check == check) && (string.IsNullOrEmpty(severity) || f.Finding.Severity.ToCode() == severity)).ToList();
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{Html.Encode(target)} · 轮次 Round {Html.Encode(id)}</h1>");
        body.Append("<form method=\"get\">检查项 Check <select name=\"check\"><option value=\"\">全部 all</option>");
        foreach (var key in checks)
        {
            var label = ProblemText.CheckName(key);
            body.Append(CultureInfo.InvariantCulture, $"<option value=\"{Html.Encode(key)}\"{(key == check ? " selected" : "")}>{Html.Encode(label)}</option>");
        }

        body.Append("</select> 严重程度 Severity <select name=\"severity\"><option value=\"\">全部 all</option>");
        foreach (var (code, label) in new[] { ("veto", "否决 veto"), ("deduct", "扣分 deduct"), ("notice", "提示 notice") })
        {
            body.Append(CultureInfo.InvariantCulture, $"<option value=\"{code}\"{(code == severity ? " selected" : "")}>{label}</option>");
        }

        body.Append(CultureInfo.InvariantCulture, $"</select> <button>筛选 Filter</button></form><p>{mine.Count} findings</p>");
        body.Append("<table><tr><th>检查项 Check</th><th>严重程度 Severity</th><th>对象 Subject</th><th>说明 Detail</th><th>证据 Evidence</th></tr>");
        foreach (var f in mine.Select(m => m.Finding))
        {
            var name = ProblemText.CheckName(f.Check);
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.Encode(name)}</td><td>{Html.Encode(f.Severity.ToCode())}</td><td>{Html.Encode(f.Subject)}</td><td>{Html.Encode(f.Detail)}</td><td>{Html.Encode(f.Evidence ?? "")}</td></tr>");
        }

        body.Append("</table>");
        return Page($"{target} {id}", body.ToString());
    }

    /// <summary>The target ids a webmaster may see (its organization's); null for roles that see everything.</summary>
    internal static async Task<HashSet<string>?> VisibleTargetsAsync(TargetStore targets, string? scope, CancellationToken ct) =>
        scope is null ? null : (await targets.ListAsync(ct)).Where(t => t.Organization == scope).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);

    internal static IResult Page(string title, string body, bool refresh = false, int status = StatusCodes.Status200OK) => Results.Content($"""
        <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{Html.Encode(title)}</title>
        {(refresh ? "<meta http-equiv=\"refresh\" content=\"5\">" : "")}
        <style>body{"{"}font-family:"Noto Sans CJK SC",sans-serif;margin:2em{"}"} table{"{"}border-collapse:collapse{"}"} td,th{"{"}border:1px solid #ccc;padding:.3em .6em{"}"} tr.overdue td{"{"}background:#fde8e8{"}"} .error{"{"}color:#b00{"}"}</style>
        </head><body><nav><a href="/">概览 Overview</a> · <a href="/targets">对象 Targets</a> · <a href="/notices">整改 Notices</a> · <a href="/schedules">计划 Schedules</a> · <a href="/jobs">任务 Jobs</a> · <a href="/healthz">healthz</a></nav>{body}</body></html>
        """, "text/html; charset=utf-8", Encoding.UTF8, status);
}
