using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Quartz;
using SiteWatch.Core.Model;
using SiteWatch.Core.Ports;
using SiteWatch.Storage;

namespace SiteWatch.Web;

/// <summary>
/// The service's schedules: every one with its next fire (admins and inspectors), and for admins a form per schedule
/// to change its cron, time zone, sample fraction (rounds only) and whether it runs. A saved change goes to the database and to the
/// running scheduler at once (<see cref="IScheduleChanges"/>); a bad value changes nothing and says why in one line.
/// </summary>
public static class SchedulePages
{
    private static readonly HtmlEncoder Html = WebEndpoints.Html;

    public static WebApplication MapSchedulePages(this WebApplication app)
    {
        app.MapGet("/schedules", ListAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Inspector));
        // Form-bound: UseAntiforgery checks its token before it runs.
        app.MapPost("/schedules/{id}", SaveAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }

    /// <summary>The posted values of one schedule's form, shown again when they are refused.</summary>
    private sealed record Posted(string Id, string Cron, string TimeZone, string SampleFraction, bool Enabled, string Error);

    private static async Task<IResult> ListAsync(HttpContext context, ScheduleStore schedules, IAntiforgery antiforgery, TimeProvider time, CancellationToken ct) =>
        Render(context, await schedules.ListAsync(ct), antiforgery, time, posted: null, saved: null);

    private static async Task<IResult> SaveAsync(HttpContext context, string id, [FromForm] string? cron, [FromForm] string? timeZone,
        [FromForm] string? sampleFraction, [FromForm] string? enabled, ScheduleStore schedules, IScheduleChanges changes, IAntiforgery antiforgery,
        TimeProvider time, CancellationToken ct)
    {
        if (await schedules.GetAsync(id, ct) is not { } schedule)
        {
            return Results.NotFound();
        }

        var on = enabled is "on" or "true" or "1";
        var error = Validate(schedule, cron, timeZone, sampleFraction, out var fraction);
        if (error is not null)
        {
            var posted = new Posted(id, cron ?? "", timeZone ?? "", sampleFraction ?? "", on, error);
            return Render(context, await schedules.ListAsync(ct), antiforgery, time, posted, saved: null, StatusCodes.Status422UnprocessableEntity);
        }

        var changed = schedule with { Cron = cron!.Trim(), TimeZone = timeZone!.Trim(), SampleFraction = fraction, Enabled = on };
        await schedules.SaveAsync(changed, ct);
        await changes.ApplyAsync(changed, ct);
        return Render(context, await schedules.ListAsync(ct), antiforgery, time, posted: null, saved: id);
    }

    /// <summary>
    /// Null when the values make a schedule; else one line, Chinese then English. Only a round has a sample fraction: for
    /// the other jobs the posted one is ignored and the stored one kept.
    /// </summary>
    private static string? Validate(Schedule schedule, string? cron, string? timeZone, string? sampleFraction, out double fraction)
    {
        fraction = schedule.SampleFraction;
        if (string.IsNullOrWhiteSpace(cron) || !CronExpression.TryParse(cron.Trim(), out _))
        {
            return $"cron 表达式无效：'{cron}' (not a Quartz cron expression: seconds minutes hours day-of-month month day-of-week [year], e.g. 0 0 2 1 1,4,7,10 ?)";
        }

        if (string.IsNullOrWhiteSpace(timeZone) || !IsTimeZone(timeZone.Trim()))
        {
            return $"时区无效：'{timeZone}' (not a time zone id, e.g. Asia/Shanghai)";
        }

        if (!schedule.Job.IsRound())
        {
            return null;
        }

        if (!double.TryParse(sampleFraction?.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out fraction) || fraction <= 0 || fraction > 1)
        {
            return $"抽样比例无效：'{sampleFraction}' (the sample fraction must be a number above 0 and at most 1, e.g. 0.3)";
        }

        if (fraction < ScheduleJobs.MinimumRoundFraction)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"抽样比例不得低于 {ScheduleJobs.MinimumRoundFraction}：'{sampleFraction}' (a round must draw at least {ScheduleJobs.MinimumRoundFraction:0%} of each region's targets)");
        }

        return null;
    }

    private static bool IsTimeZone(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The next fire after now, in the schedule's own time zone, as Quartz computes it; "—" when disabled or unreadable.</summary>
    internal static string NextFire(Schedule schedule, DateTimeOffset now)
    {
        if (!schedule.Enabled || !CronExpression.TryParse(schedule.Cron, out var cron) || !IsTimeZone(schedule.TimeZone))
        {
            return "—";
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        return cron.WithTimeZone(zone).GetNextValidTimeAfter(now) is { } next
            ? TimeZoneInfo.ConvertTime(next, zone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)
            : "—";
    }

    /// <summary>A round's sample fraction; "—" for the jobs that draw no sample (re-check, probes).</summary>
    private static string Fraction(Schedule schedule) =>
        schedule.Job.IsRound() ? schedule.SampleFraction.ToString("0.###", CultureInfo.InvariantCulture) : "—";

    private static IResult Render(HttpContext context, IReadOnlyList<Schedule> all, IAntiforgery antiforgery, TimeProvider time, Posted? posted, string? saved,
        int status = StatusCodes.Status200OK)
    {
        var now = time.GetUtcNow();
        var body = new StringBuilder("<h1>检查计划 <small>Schedules</small></h1>");
        body.Append("<p>首次启动时由配置 Service:Schedules（可用性监测由 Service:ProbeCron）写入，此后以数据库和本页为准 (seeded from Service:Schedules, the availability probes from Service:ProbeCron, on first start; later edits live in the database and on this page).</p>");
        if (saved is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"saved\">已保存 Saved: {Html.Encode(saved)}</p>");
        }

        if (posted is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"error\">未保存 Not saved ({Html.Encode(posted.Id)}): {Html.Encode(posted.Error)}</p>");
        }

        body.Append("<table><tr><th>编号 Id</th><th>名称 Name</th><th>任务 Job</th><th>cron</th><th>时区 Time zone</th><th>抽样比例 Sample fraction</th><th>启用 Enabled</th><th>上次执行 Last fired</th><th>下次执行 Next fire</th></tr>");
        foreach (var s in all)
        {
            var last = s.LastFiredAt is { } at ? at.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture) : "—";
            body.Append(CultureInfo.InvariantCulture, $"<tr id=\"schedule-{Html.Encode(s.Id)}\"><td>{Html.Encode(s.Id)}</td><td>{Html.Encode(s.Name)}</td><td>{Html.Encode(ScheduleStore.JobCode(s.Job))}</td><td><code>{Html.Encode(s.Cron)}</code></td><td>{Html.Encode(s.TimeZone)}</td><td>{Fraction(s)}</td><td>{(s.Enabled ? "是 yes" : "否 no")}</td><td>{last}</td><td class=\"next-fire\">{Html.Encode(NextFire(s, now))}</td></tr>");
        }

        body.Append("</table>");
        if (context.User.IsInRole(Roles.Admin))
        {
            var token = antiforgery.GetAndStoreTokens(context);
            body.Append("<h2>修改 <small>Edit</small></h2>");
            foreach (var s in all)
            {
                var mine = posted?.Id == s.Id ? posted : null;
                var cron = mine?.Cron ?? s.Cron;
                var zone = mine?.TimeZone ?? s.TimeZone;
                var fraction = mine?.SampleFraction ?? s.SampleFraction.ToString("0.###", CultureInfo.InvariantCulture);
                var enabled = mine?.Enabled ?? s.Enabled;
                body.Append(CultureInfo.InvariantCulture, $"""
                    <form method="post" action="/schedules/{Html.Encode(s.Id)}"><fieldset><legend>{Html.Encode(s.Name)} <code>{Html.Encode(s.Id)}</code> · {Html.Encode(ScheduleStore.JobCode(s.Job))}</legend>
                    <input type="hidden" name="{Html.Encode(token.FormFieldName)}" value="{Html.Encode(token.RequestToken ?? "")}">
                    {(mine is null ? "" : $"<p class=\"error\">{Html.Encode(mine.Error)}</p>")}
                    <label>cron <input name="cron" value="{Html.Encode(cron)}" required size="28"></label>
                    <label>时区 Time zone <input name="timeZone" value="{Html.Encode(zone)}" required size="16"></label>
                    {(s.Job.IsRound() ? $"<label>抽样比例 Sample fraction <input name=\"sampleFraction\" value=\"{Html.Encode(fraction)}\" required size=\"5\"></label>" : "")}
                    <label><input type="checkbox" name="enabled"{(enabled ? " checked" : "")}> 启用 Enabled</label>
                    <button>保存 Save</button></fieldset></form>
                    """);
            }
        }

        return WebEndpoints.Page("检查计划 Schedules", body.ToString(), status: status);
    }
}
