using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Core.Model;
using SiteWatch.Reports;
using SiteWatch.Reports.Scoring;
using SiteWatch.Storage;

namespace SiteWatch.Web;

/// <summary>
/// The correction loop in the browser (整改): the notices' open findings with deadlines and overdue ones, each
/// finding's history (found → notified → claimed fixed → verified / reopened), the webmaster's "fixed" form, which puts
/// a re-check of the target on the queue, and an inspector's "re-check now". A webmaster sees and answers only the
/// findings of its own organization's targets; any other finding number is 404.
/// </summary>
public static class NoticePages
{
    private static readonly HtmlEncoder Html = WebEndpoints.Html;

    public static WebApplication MapNoticePages(this WebApplication app)
    {
        app.MapGet("/notices", ListAsync).RequireAuthorization();
        app.MapGet("/findings/{id:long}", FindingAsync).RequireAuthorization();
        app.MapPost("/findings/{id:long}/fixed", FixedAsync).RequireAuthorization();
        app.MapGet("/rounds/{round}/targets/{target}/notice.xlsx", NoticeAsync).RequireAuthorization();
        app.MapPost("/rounds/{round}/notices", IssueAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Inspector));
        app.MapPost("/targets/{target}/recheck", RecheckAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Inspector));
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, CorrectionStore corrections, TargetStore targets, TimeProvider time,
        string? state, string? target, CancellationToken ct)
    {
        var today = CorrectionStates.Today(time.GetUtcNow());
        var visible = await WebEndpoints.VisibleTargetsAsync(targets, WebSecurity.Scope(context.User), ct);
        var filter = state is "overdue" or "closed" or "all" ? state : "open";
        var cases = (await corrections.ListAsync(openOnly: filter is "open" or "overdue", ct, string.IsNullOrEmpty(target) ? null : target))
            .Where(c => visible is null || visible.Contains(c.TargetId))
            .Where(c => filter switch { "overdue" => c.IsOverdue(today), "closed" => !c.State.IsOpen(), _ => true })
            .ToList();
        var registry = await targets.GetManyAsync(cases.Select(c => c.TargetId).Distinct(), ct);
        var body = new StringBuilder("<h1>整改通知 <small>Correction notices</small></h1>");
        body.Append("<p>");
        foreach (var (code, label) in new[] { ("open", "未完成 open"), ("overdue", "逾期 overdue"), ("closed", "已关闭 closed"), ("all", "全部 all") })
        {
            body.Append(code == filter ? $"<strong>{label}</strong> · " : $"<a href=\"/notices?state={code}\">{label}</a> · ");
        }

        body.Append(CultureInfo.InvariantCulture, $"{cases.Count} 条 findings, {cases.Count(c => c.IsOverdue(today))} 逾期 overdue ({today:yyyy-MM-dd})</p>");
        foreach (var group in cases.GroupBy(c => c.TargetId))
        {
            var t = registry.GetValueOrDefault(group.Key);
            body.Append(CultureInfo.InvariantCulture, $"<h2>{Html.Encode(t?.Name ?? group.Key)} <small>{Html.Encode(group.Key)} · {Html.Encode(t?.Organization ?? "")}</small></h2>");
            body.Append("<p>");
            foreach (var round in group.Select(c => c.RoundId).Distinct())
            {
                body.Append(CultureInfo.InvariantCulture, $"<a href=\"/rounds/{Html.Encode(Uri.EscapeDataString(round))}/targets/{Html.Encode(Uri.EscapeDataString(group.Key))}/notice.xlsx\">下载整改通知 Download the notice of {Html.Encode(round)} (.xlsx)</a> ");
            }

            body.Append("</p>");
            body.Append("<table><tr><th>编号 No.</th><th>轮次 Round</th><th>检查项 Check</th><th>问题 Subject</th><th>说明 Detail</th><th>状态 State</th><th>整改期限 Due</th><th>最近复查 Last re-check</th></tr>");
            foreach (var c in group)
            {
                var overdue = c.IsOverdue(today);
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr{(overdue ? " class=\"overdue\"" : "")}><td><a href="/findings/{c.FindingId}">{c.FindingId}</a></td><td>{Html.Encode(c.RoundId)}</td>
                    <td>{Html.Encode(ProblemText.CheckName(c.Finding.Check))}</td><td>{Html.Encode(c.Finding.Subject)}</td><td>{Html.Encode(c.Finding.Detail)}</td>
                    <td>{Html.Encode(c.State.DisplayName())}</td><td>{(c.Due is { } due ? due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—")}{(overdue ? " <strong>逾期 overdue</strong>" : "")}</td>
                    <td>{Html.Encode(c.LastCheck ?? "")}</td></tr>
                    """);
            }

            body.Append("</table>");
            if (!context.User.IsInRole(Roles.Webmaster))
            {
                body.Append(RecheckForm(context, group.Key));
            }
        }

        return WebEndpoints.Page("整改通知 Notices", body.ToString());
    }

    private static async Task<IResult> FindingAsync(HttpContext context, long id, CorrectionStore corrections, TargetStore targets, TimeProvider time, CancellationToken ct) =>
        await FindingPageAsync(context, id, corrections, targets, time, null, StatusCodes.Status200OK, ct);

    private static async Task<IResult> FindingPageAsync(HttpContext context, long id, CorrectionStore corrections, TargetStore targets, TimeProvider time, string? error,
        int status, CancellationToken ct)
    {
        if (await VisibleCaseAsync(context, id, corrections, targets, ct) is not { } c)
        {
            return Results.NotFound();
        }

        var today = CorrectionStates.Today(time.GetUtcNow());
        var target = (await targets.GetManyAsync([c.TargetId], ct)).GetValueOrDefault(c.TargetId);
        var f = c.Finding;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>问题 <small>Finding</small> {c.FindingId}</h1>");
        if (error is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"error\"><strong>{Html.Encode(error)}</strong></p>");
        }

        body.Append(CultureInfo.InvariantCulture, $"""
            <table>
            <tr><th>对象 Target</th><td>{Html.Encode(target?.Name ?? c.TargetId)} ({Html.Encode(c.TargetId)})</td></tr>
            <tr><th>轮次 Round</th><td><a href="/rounds/{Html.Encode(c.RoundId)}/targets/{Html.Encode(c.TargetId)}">{Html.Encode(c.RoundId)}</a></td></tr>
            <tr><th>检查项 Check</th><td>{Html.Encode(ProblemText.CheckName(f.Check))} <code>{Html.Encode(f.Check)}</code> · {Html.Encode(f.Severity.ToCode())}</td></tr>
            <tr><th>页面 Page</th><td>{Html.Encode(f.Url)}</td></tr>
            <tr><th>问题 Subject</th><td>{Html.Encode(f.Subject)}</td></tr>
            <tr><th>说明 Detail</th><td>{Html.Encode(f.Detail)}</td></tr>
            <tr><th>证据 Evidence</th><td><pre>{Html.Encode(f.Evidence ?? "")}</pre></td></tr>
            <tr><th>状态 State</th><td>{Html.Encode(c.State.DisplayName())}</td></tr>
            <tr><th>整改期限 Due</th><td>{(c.Due is { } due ? due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—")}{(c.IsOverdue(today) ? " <strong>逾期 overdue</strong>" : "")}</td></tr>
            <tr><th>最近复查 Last re-check</th><td>{(c.CheckedAt is { } at ? at.ToOffset(CorrectionStates.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " · " : "")}{Html.Encode(c.LastCheck ?? "—")}</td></tr>
            </table>
            """);
        body.Append("<h2>处理记录 <small>History</small></h2><table><tr><th>时间 When</th><th>状态 Step</th><th>操作人 By</th><th>说明 Note</th><th>证据 Evidence</th></tr>");
        foreach (var e in await corrections.HistoryAsync(c.FindingId, ct))
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{e.At.ToOffset(CorrectionStates.ChinaOffset):yyyy-MM-dd HH:mm}</td><td>{Html.Encode(e.State.DisplayName())}</td><td>{Html.Encode(e.Actor)}</td>
                <td>{Html.Encode(string.Join(" · ", new[] { e.Comment, e.Detail }.Where(s => !string.IsNullOrEmpty(s))))}</td><td>{Html.Encode(e.Evidence ?? "")}</td></tr>
                """);
        }

        body.Append("</table>");
        if (c.State.IsOpen() && c.State != CorrectionState.Claimed)
        {
            var token = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
            body.Append(CultureInfo.InvariantCulture, $"""
                <h2>标记已整改 <small>Mark fixed</small></h2>
                <form method="post" action="/findings/{c.FindingId}/fixed">
                <input type="hidden" name="{Html.Encode(token.FormFieldName)}" value="{Html.Encode(token.RequestToken ?? "")}">
                <p><label>整改说明 What was fixed<br><textarea name="comment" rows="3" cols="60" required></textarea></label></p>
                <p><button type="submit">已整改，请复查 Fixed — re-check it</button></p></form>
                """);
        }

        if (!context.User.IsInRole(Roles.Webmaster))
        {
            body.Append(RecheckForm(context, c.TargetId));
        }

        return WebEndpoints.Page($"Finding {c.FindingId}", body.ToString(), status: status);
    }

    private static async Task<IResult> FixedAsync(HttpContext context, long id, [FromForm] string? comment, CorrectionStore corrections, TargetStore targets,
        IRecheckQueue queue, TimeProvider time, CancellationToken ct)
    {
        if (await VisibleCaseAsync(context, id, corrections, targets, ct) is not { } c)
        {
            return Results.NotFound();
        }

        try
        {
            await corrections.ClaimAsync(id, context.User.Identity?.Name ?? "?", comment ?? "", ct);
        }
        catch (CorrectionException e)
        {
            return await FindingPageAsync(context, id, corrections, targets, time, $"未能标记 Not marked: {e.Message}", StatusCodes.Status409Conflict, ct);
        }

        queue.Enqueue(c.TargetId);
        return Results.Redirect($"/findings/{id}", permanent: false, preserveMethod: false);
    }

    /// <summary>A target's correction notice of a round, written on demand exactly as `sitewatch report` writes it.</summary>
    private static async Task<IResult> NoticeAsync(HttpContext context, string round, string target, RoundStore rounds, TargetStore targets,
        IRoundReportSource reports, CancellationToken ct)
    {
        var visible = await WebEndpoints.VisibleTargetsAsync(targets, WebSecurity.Scope(context.User), ct);
        if (visible is not null && !visible.Contains(target) || await rounds.GetAsync(round, ct) is not { } found)
        {
            return Results.NotFound();
        }

        ReportInput input;
        try
        {
            input = await reports.GatherAsync(found, ct);
        }
        catch (ScoringRulesException e)
        {
            return WebEndpoints.Page("整改通知 Notice", $"<h1>无法生成 Cannot write the notice</h1><p>{Html.Encode(e.Message)}</p>", status: StatusCodes.Status500InternalServerError);
        }

        return await WebEndpoints.WorkbookAsync(folder => ReportWriter.WriteNotice(input, target, folder), ct);
    }

    /// <summary>
    /// Issues a round's correction notices from the round page: writes the 通报 and every 整改通知 under Reports:Output
    /// (recording them as notified with their deadline) and, when ticked, mails each to its target's contact.
    /// </summary>
    private static async Task<IResult> IssueAsync(string round, [FromForm] string? mail, INoticeIssuer issuer, ReportRules rules, CancellationToken ct)
    {
        NoticeIssue issued;
        try
        {
            issued = await issuer.IssueAsync(round, rules.OutputDirectory, mail is "on" or "true", ct);
        }
        catch (Exception e) when (e is ScoringRulesException or Reports.Mail.NoticeMailException or InvalidOperationException)
        {
            return WebEndpoints.Page("整改通知 Notices", $"<h1>未能发出 Not issued</h1><p class=\"error\">{Html.Encode(e.Message)}</p><p><a href=\"/rounds/{Html.Encode(Uri.EscapeDataString(round))}\">返回 Back</a></p>",
                status: StatusCodes.Status422UnprocessableEntity);
        }

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>整改通知已发出 <small>Notices issued · {Html.Encode(issued.Round.Id)}</small></h1>");
        body.Append(CultureInfo.InvariantCulture, $"<p>{issued.Result.Notices.Count} 份整改通知 correction notices, 整改期限 deadline {issued.Input.NoticeDeadline:yyyy-MM-dd}; 通报 {Html.Encode(issued.Result.Notification)}</p><ul>");
        var outcomes = (issued.Mailed ?? []).ToDictionary(o => o.TargetId, StringComparer.Ordinal);
        foreach (var target in issued.Input.Targets.Where(t => issued.Result.Verdicts[t.Id].Findings.Count > 0))
        {
            var mailed = outcomes.TryGetValue(target.Id, out var o) ? o.Sent ? $" · 已发送至 mailed to {o.To}" : $" · 未发送 not mailed: {o.Reason}" : "";
            body.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/notices?target={Html.Encode(Uri.EscapeDataString(target.Id))}\">{Html.Encode(target.Name)}</a> ({Html.Encode(target.Id)}){Html.Encode(mailed)}</li>");
        }

        body.Append("</ul>");
        if (issued.Mailed is { } all)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>邮件 Mail: {all.Count(x => x.Sent)}/{all.Count} through {Html.Encode(issued.MailServer ?? "")}</p>");
        }

        return WebEndpoints.Page("整改通知 Notices", body.ToString());
    }

    private static IResult RecheckAsync(string target, IRecheckQueue queue)
    {
        queue.Enqueue(target);
        return Results.Redirect($"/notices?target={Uri.EscapeDataString(target)}");
    }

    private static string RecheckForm(HttpContext context, string targetId)
    {
        var token = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"""
            <form method="post" action="/targets/{Html.Encode(targetId)}/recheck">
            <input type="hidden" name="{Html.Encode(token.FormFieldName)}" value="{Html.Encode(token.RequestToken ?? "")}">
            <button type="submit">立即复查 Re-check {Html.Encode(targetId)} now</button></form>
            """;
    }

    private static async Task<Correction?> VisibleCaseAsync(HttpContext context, long id, CorrectionStore corrections, TargetStore targets, CancellationToken ct)
    {
        var c = await corrections.GetAsync(id, ct);
        var visible = await WebEndpoints.VisibleTargetsAsync(targets, WebSecurity.Scope(context.User), ct);
        return c is not null && (visible is null || visible.Contains(c.TargetId)) ? c : null;
    }
}
