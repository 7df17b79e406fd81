using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Import;
using SiteWatch.Storage;

namespace SiteWatch.Web;

/// <summary>
/// The registry in the browser: the targets with a search box, and (for admins) an import upload of the same .csv/.xlsx
/// files as `sitewatch targets import` — all rows or none, every bad row named with its line — and a form to add or
/// edit one target, checked by the importer's own row rules (<see cref="TargetFileReader.ValidateRow"/>).
/// </summary>
public static class TargetPages
{
    private static readonly HtmlEncoder Html = WebEndpoints.Html;

    /// <summary>The form's labels of the targets file's columns (<see cref="TargetFileReader.Columns"/>, in that order).</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["id"] = "编号 Id", ["kind"] = "类型 Kind", ["name"] = "名称 Name", ["url"] = "网址 URL", ["platform"] = "平台 Platform",
        ["account"] = "账号 Account", ["organization"] = "主办单位 Organization", ["supervisor"] = "主管单位 Supervisor",
        ["region"] = "地区 Region", ["level"] = "级别 Level", ["site_code"] = "网站标识码 Site code", ["icp"] = "ICP备案号 ICP",
        ["contact_email"] = "联系邮箱 Contact e-mail",
    };

    public static WebApplication MapTargetPages(this WebApplication app)
    {
        app.MapGet("/targets", ListAsync).RequireAuthorization();
        // A form-bound endpoint: UseAntiforgery checks its token before it runs.
        app.MapPost("/targets/import", ImportAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        app.MapPost("/targets", AddAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        app.MapGet("/targets/{id}/edit", EditFormAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        app.MapPost("/targets/{id}/edit", EditAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }

    private static async Task<IResult> AddAsync(HttpContext context, IFormCollection form, TargetStore targets, IAntiforgery antiforgery, CancellationToken ct)
    {
        var (target, errors) = TargetFileReader.ValidateRow(key => form[key].FirstOrDefault());
        if (target is not null && (await targets.GetManyAsync([target.Id], ct)).ContainsKey(target.Id))
        {
            errors = [$"id '{target.Id}' already exists; edit that target instead (编号已存在，请编辑该对象)"];
        }

        if (target is null || errors.Count > 0)
        {
            return Form(context, antiforgery, "/targets", "添加对象 Add a target", key => form[key].FirstOrDefault(), idFixed: false, errors);
        }

        await targets.UpsertAsync([target], dryRun: false, ct);
        return Saved(target, added: true);
    }

    private static async Task<IResult> EditFormAsync(HttpContext context, string id, TargetStore targets, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!(await targets.GetManyAsync([id], ct)).TryGetValue(id, out var target))
        {
            return Results.NotFound();
        }

        return Form(context, antiforgery, $"/targets/{Uri.EscapeDataString(id)}/edit", $"编辑对象 Edit {id}", key => Value(target, key), idFixed: true, errors: []);
    }

    private static async Task<IResult> EditAsync(HttpContext context, string id, IFormCollection form, TargetStore targets, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!(await targets.GetManyAsync([id], ct)).ContainsKey(id))
        {
            return Results.NotFound();
        }

        // The id is the one in the address: editing never renames a target (its rounds and findings keep pointing at it).
        string? Field(string key) => key == "id" ? id : form[key].FirstOrDefault();
        var (target, errors) = TargetFileReader.ValidateRow(Field);
        if (target is null)
        {
            return Form(context, antiforgery, $"/targets/{Uri.EscapeDataString(id)}/edit", $"编辑对象 Edit {id}", Field, idFixed: true, errors);
        }

        await targets.UpsertAsync([target], dryRun: false, ct);
        return Saved(target, added: false);
    }

    private static IResult Saved(Target target, bool added) => WebEndpoints.Page("对象 Targets", string.Create(CultureInfo.InvariantCulture,
        $"<h1>{(added ? "已添加 Added" : "已保存 Saved")}</h1><p>{Html.Encode(target.Id)} · {Html.Encode(target.Name)}</p><p><a href=\"/targets/{Html.Encode(Uri.EscapeDataString(target.Id))}/edit\">编辑 Edit</a> · <a href=\"/targets\">对象 Targets</a></p>"));

    /// <summary>A stored target as the file's cells (kind and level as the file writes them).</summary>
    private static string? Value(Target t, string key) => key switch
    {
        "id" => t.Id, "kind" => t.Kind.ToCode(), "name" => t.Name, "url" => t.Url, "platform" => t.Platform, "account" => t.Account,
        "organization" => t.Organization, "supervisor" => t.Supervisor, "region" => t.Region, "level" => t.Level, "site_code" => t.SiteCode,
        "icp" => t.Icp, "contact_email" => t.ContactEmail, _ => null,
    };

    /// <summary>The add or edit form; with errors (the importer's words) it answers 422 and keeps what was typed.</summary>
    private static IResult Form(HttpContext context, IAntiforgery antiforgery, string action, string title, Func<string, string?> value, bool idFixed,
        IReadOnlyList<string> errors)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{Html.Encode(title)}</h1>");
        body.Append(FormHtml(context, antiforgery, action, value, idFixed, errors));
        body.Append("<p><a href=\"/targets\">返回 Back</a></p>");
        return WebEndpoints.Page(title, body.ToString(), status: errors.Count > 0 ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK);
    }

    private static string FormHtml(HttpContext context, IAntiforgery antiforgery, string action, Func<string, string?> value, bool idFixed, IReadOnlyList<string> errors)
    {
        var token = antiforgery.GetAndStoreTokens(context);
        var html = new StringBuilder();
        if (errors.Count > 0)
        {
            html.Append("<p class=\"error\">未保存，请改正 (not saved; fix these):</p><ul class=\"error\">");
            foreach (var e in errors)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Html.Encode(e)}</li>");
            }

            html.Append("</ul>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{Html.Encode(action)}\"><input type=\"hidden\" name=\"{Html.Encode(token.FormFieldName)}\" value=\"{Html.Encode(token.RequestToken ?? "")}\"><table>");
        foreach (var key in TargetFileReader.Columns)
        {
            var label = Labels.GetValueOrDefault(key, key);
            var v = Html.Encode(value(key) ?? "");
            var input = key switch
            {
                "id" when idFixed => $"<input name=\"id\" value=\"{v}\" readonly>",
                "id" => $"<input name=\"id\" value=\"{v}\" placeholder=\"默认：网站标识码或 平台:账号 (default: site_code, or platform:account)\" size=\"40\">",
                "kind" => $"<select name=\"kind\"><option value=\"website\"{(v is "account" ? "" : " selected")}>网站 website</option><option value=\"account\"{(v is "account" ? " selected" : "")}>新媒体 account</option></select>",
                _ => $"<input name=\"{key}\" value=\"{v}\" size=\"40\">",
            };
            html.Append(CultureInfo.InvariantCulture, $"<tr><th><label>{Html.Encode(label)}</label></th><td>{input}</td></tr>");
        }

        html.Append("</table><button>保存 Save</button></form>");
        return html.ToString();
    }

    private static async Task<IResult> ListAsync(HttpContext context, TargetStore targets, IAntiforgery antiforgery, string? q, CancellationToken ct)
    {
        var scope = WebSecurity.Scope(context.User);
        var all = (await targets.ListAsync(ct)).Where(t => scope is null || t.Organization == scope)
            .Where(t => string.IsNullOrWhiteSpace(q) || new[] { t.Id, t.Name, t.Url, t.Organization, t.Region }.Any(v => v.Contains(q.Trim(), StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var body = new StringBuilder("<h1>对象 <small>Targets</small></h1>");
        body.Append(CultureInfo.InvariantCulture, $"<form method=\"get\" action=\"/targets\"><input name=\"q\" value=\"{Html.Encode(q ?? "")}\" placeholder=\"名称、网址、单位、地区 name, url, unit, region\"> <button>搜索 Search</button></form>");
        var admin = context.User.IsInRole(Roles.Admin);
        if (admin)
        {
            var token = antiforgery.GetAndStoreTokens(context);
            body.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="/targets/import" enctype="multipart/form-data">
                <input type="hidden" name="{Html.Encode(token.FormFieldName)}" value="{Html.Encode(token.RequestToken ?? "")}">
                <label>导入 Import (.csv / .xlsx) <input type="file" name="file" accept=".csv,.xlsx" required></label> <button>上传 Upload</button></form>
                """);
            body.Append("<details><summary>添加 Add a target</summary>");
            body.Append(FormHtml(context, antiforgery, "/targets", _ => null, idFixed: false, errors: []));
            body.Append("</details>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<p>{all.Count} 个对象 targets</p><table><tr><th>编号 Id</th><th>类型 Kind</th><th>名称 Name</th><th>网址 URL</th><th>主办单位 Organization</th><th>地区 Region</th><th>级别 Level</th>{(admin ? "<th></th>" : "")}</tr>");
        foreach (var t in all)
        {
            var edit = admin ? $"<td><a href=\"/targets/{Html.Encode(Uri.EscapeDataString(t.Id))}/edit\">编辑 Edit</a></td>" : "";
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.Encode(t.Id)}</td><td>{Html.Encode(t.Kind.ToCode())}</td><td>{Html.Encode(t.Name)}</td><td>{Html.Encode(t.Url)}</td><td>{Html.Encode(t.Organization)}</td><td>{Html.Encode(t.Region)}</td><td>{Html.Encode(t.Level ?? "")}</td>{edit}</tr>");
        }

        body.Append("</table>");
        return WebEndpoints.Page("对象 Targets", body.ToString());
    }

    private static async Task<IResult> ImportAsync(IFormFile? file, TargetStore targets, CancellationToken ct)
    {
        if (file is not { Length: > 0 })
        {
            return WebEndpoints.Page("导入 Import", "<h1>导入失败 Import failed</h1><p>没有文件 (no file was uploaded).</p>", status: StatusCodes.Status400BadRequest);
        }

        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        var temp = Path.Combine(Path.GetTempPath(), $"sitewatch-import-{Guid.NewGuid():N}{(extension is ".csv" or ".xlsx" ? extension : ".csv")}");
        try
        {
            await using (var stream = File.Create(temp))
            {
                await file.CopyToAsync(stream, ct);
            }

            var read = TargetFileReader.Read(temp);
            if (!read.Ok)
            {
                var rows = string.Concat(read.Errors.Take(200).Select(e => $"<li>{Html.Encode(e.Replace(temp, file.FileName, StringComparison.Ordinal))}</li>"));
                return WebEndpoints.Page("导入 Import", $"<h1>导入失败 Import failed</h1><p>{read.Errors.Count} 行有误，未导入任何数据 (rows with errors; nothing imported):</p><ul>{rows}</ul><p><a href=\"/targets\">返回 Back</a></p>",
                    status: StatusCodes.Status422UnprocessableEntity);
            }

            var (added, updated) = await targets.UpsertAsync(read.Targets, dryRun: false, ct);
            return WebEndpoints.Page("导入 Import", $"<h1>导入完成 Imported</h1><p>{added} added, {updated} updated from {Html.Encode(file.FileName)}.</p><p><a href=\"/targets\">对象 Targets</a></p>");
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
