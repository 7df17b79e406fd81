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
/// files as `sitewatch targets import` — all rows or none, every bad row named with its line.
/// </summary>
public static class TargetPages
{
    private static readonly HtmlEncoder Html = WebEndpoints.Html;

    public static WebApplication MapTargetPages(this WebApplication app)
    {
        app.MapGet("/targets", ListAsync).RequireAuthorization();
        // A form-bound endpoint: UseAntiforgery checks its token before it runs.
        app.MapPost("/targets/import", ImportAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, TargetStore targets, IAntiforgery antiforgery, string? q, CancellationToken ct)
    {
        var scope = WebSecurity.Scope(context.User);
        var all = (await targets.ListAsync(ct)).Where(t => scope is null || t.Organization == scope)
            .Where(t => string.IsNullOrWhiteSpace(q) || new[] { t.Id, t.Name, t.Url, t.Organization, t.Region }.Any(v => v.Contains(q.Trim(), StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var body = new StringBuilder("<h1>对象 <small>Targets</small></h1>");
        body.Append(CultureInfo.InvariantCulture, $"<form method=\"get\" action=\"/targets\"><input name=\"q\" value=\"{Html.Encode(q ?? "")}\" placeholder=\"名称、网址、单位、地区 name, url, unit, region\"> <button>搜索 Search</button></form>");
        if (context.User.IsInRole(Roles.Admin))
        {
            var token = antiforgery.GetAndStoreTokens(context);
            body.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="/targets/import" enctype="multipart/form-data">
                <input type="hidden" name="{Html.Encode(token.FormFieldName)}" value="{Html.Encode(token.RequestToken ?? "")}">
                <label>导入 Import (.csv / .xlsx) <input type="file" name="file" accept=".csv,.xlsx" required></label> <button>上传 Upload</button></form>
                """);
        }

        body.Append(CultureInfo.InvariantCulture, $"<p>{all.Count} 个对象 targets</p><table><tr><th>编号 Id</th><th>类型 Kind</th><th>名称 Name</th><th>网址 URL</th><th>主办单位 Organization</th><th>地区 Region</th><th>级别 Level</th></tr>");
        foreach (var t in all)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.Encode(t.Id)}</td><td>{Html.Encode(t.Kind.ToCode())}</td><td>{Html.Encode(t.Name)}</td><td>{Html.Encode(t.Url)}</td><td>{Html.Encode(t.Organization)}</td><td>{Html.Encode(t.Region)}</td><td>{Html.Encode(t.Level ?? "")}</td></tr>");
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
