using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using SiteWatch.Core.Model;

namespace SiteWatch.Reports.Import;

/// <summary>What reading a targets file gave: the rows as targets, or every reason it cannot be imported.</summary>
public sealed record TargetFileReadResult(IReadOnlyList<Target> Targets, IReadOnlyList<string> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Reads the registry file of contract.md §2: .csv (UTF-8, or GB18030 when the bytes are not UTF-8) or
/// .xlsx, English or Chinese headers. Collects every problem as <c>file:line: reason</c> rather than
/// stopping at the first, so a general office fixes its spreadsheet in one pass.
/// </summary>
public static partial class TargetFileReader
{
    private static readonly Dictionary<string, string> HeaderAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = "id", ["编号"] = "id",
        ["kind"] = "kind", ["类型"] = "kind",
        ["name"] = "name", ["名称"] = "name",
        ["url"] = "url", ["网址"] = "url",
        ["platform"] = "platform", ["平台"] = "platform",
        ["account"] = "account", ["账号"] = "account",
        ["organization"] = "organization", ["主办单位"] = "organization",
        ["supervisor"] = "supervisor", ["主管单位"] = "supervisor",
        ["region"] = "region", ["地区"] = "region",
        ["level"] = "level", ["级别"] = "level",
        ["site_code"] = "site_code", ["网站标识码"] = "site_code",
        ["icp"] = "icp", ["ICP备案号"] = "icp",
        ["contact_email"] = "contact_email", ["联系邮箱"] = "contact_email",
    };

    private static readonly string[] Required = ["kind", "name", "url", "organization", "region"];

    private static readonly Dictionary<string, string> Levels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["省级"] = "省级", ["province"] = "省级", ["provincial"] = "省级",
        ["市级"] = "市级", ["city"] = "市级", ["municipal"] = "市级",
        ["县级"] = "县级", ["county"] = "县级",
        ["乡镇级"] = "乡镇级", ["township"] = "乡镇级",
        ["部门"] = "部门", ["department"] = "部门",
        ["国家级"] = "国家级", ["national"] = "国家级",
    };

    static TargetFileReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static TargetFileReadResult Read(string path)
    {
        List<(int Line, string[] Cells)> rows;
        try
        {
            rows = Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".csv" or ".txt" => ReadCsv(File.ReadAllBytes(path)),
                ".xlsx" => ReadXlsx(path),
                var other => throw new InvalidDataException($"unsupported file type '{other}'; use .csv or .xlsx"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException
                                      or ArgumentException or InvalidOperationException)
        {
            return new([], [$"{path}: cannot read: {e.Message}"]);
        }

        if (rows.Count == 0)
        {
            return new([], [$"{path}:1: empty file; the first row must be the headers"]);
        }

        var (headerLine, headerCells) = rows[0];
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < headerCells.Length; i++)
        {
            if (HeaderAliases.TryGetValue(headerCells[i].Trim().TrimStart('\uFEFF'), out var key))
            {
                columns.TryAdd(key, i);
            }
        }

        var missing = Required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            return new([], [$"{path}:{headerLine}: missing column(s) {string.Join(", ", missing)} (English or Chinese headers, see the contract)"]);
        }

        var targets = new List<Target>();
        var errors = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, cells) in rows.Skip(1))
        {
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var (target, rowReasons) = ValidateRow(key => columns.TryGetValue(key, out var i) && i < cells.Length ? cells[i] : null);
            var reasons = rowReasons.ToList();
            if (target is not null && ids.TryGetValue(target.Id, out var first))
            {
                reasons.Add($"id '{target.Id}' already used on line {first}");
            }

            if (reasons.Count > 0)
            {
                errors.AddRange(reasons.Select(r => $"{path}:{line}: {r}"));
                continue;
            }

            ids[target!.Id] = line;
            targets.Add(target);
        }

        return new(errors.Count == 0 ? targets : [], errors);
    }

    /// <summary>The column keys of the file (contract.md §2), in the contract's order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["id", "kind", "name", "url", "platform", "account", "organization", "supervisor", "region", "level", "site_code", "icp", "contact_email"];

    /// <summary>
    /// The rules of one row, by column key (see <see cref="Columns"/>; blank counts as empty, values are trimmed): the
    /// target it describes, or every reason it is wrong (without file and line). The importer runs it on each row of a
    /// file and the web form on its fields, so both accept exactly the same targets.
    /// </summary>
    public static (Target? Target, IReadOnlyList<string> Errors) ValidateRow(Func<string, string?> field)
    {
        var reasons = new List<string>();
        string? Cell(string key) => field(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var target = Validate(Cell, reasons);
        return (target, reasons);
    }

    private static Target? Validate(Func<string, string?> cell, List<string> reasons)
    {
        foreach (var key in Required)
        {
            if (cell(key) is null)
            {
                reasons.Add($"{key} is empty");
            }
        }

        var kindText = cell("kind");
        TargetKind kind = default;
        if (kindText is not null && !TargetKinds.TryParse(kindText, out kind))
        {
            reasons.Add($"kind '{kindText}' is not website/网站 or account/新媒体");
        }

        var url = cell("url");
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0))
        {
            reasons.Add($"url '{url}' is not an absolute http(s) address");
        }

        var siteCode = cell("site_code");
        var platform = cell("platform")?.ToLowerInvariant();
        var account = cell("account");
        if (kindText is not null && TargetKinds.TryParse(kindText, out _))
        {
            if (kind == TargetKind.Website)
            {
                if (siteCode is null)
                {
                    reasons.Add("site_code (网站标识码) is required for a website");
                }
                else if (!SiteCodePattern().IsMatch(siteCode))
                {
                    reasons.Add($"site_code '{siteCode}' must be 10 digits or bm + 8 digits");
                }
            }
            else
            {
                if (platform is null)
                {
                    reasons.Add("platform (平台) is required for an account");
                }

                if (account is null)
                {
                    reasons.Add("account (账号) is required for an account");
                }
            }
        }

        var email = cell("contact_email");
        if (email is not null && !EmailPattern().IsMatch(email))
        {
            reasons.Add($"contact_email '{email}' is not an e-mail address");
        }

        var levelText = cell("level");
        string? level = null;
        if (levelText is not null && !Levels.TryGetValue(levelText, out level))
        {
            reasons.Add($"level '{levelText}' is not one of 国家级/省级/市级/县级/乡镇级/部门");
        }

        if (reasons.Count > 0)
        {
            return null;
        }

        var id = cell("id") ?? (kind == TargetKind.Website ? siteCode! : $"{platform}:{account}");
        return new Target
        {
            Id = id,
            Kind = kind,
            Name = cell("name")!,
            Url = url!,
            Organization = cell("organization")!,
            Region = cell("region")!,
            Platform = platform,
            Account = account,
            Supervisor = cell("supervisor"),
            Level = level,
            SiteCode = siteCode,
            Icp = cell("icp"),
            ContactEmail = email,
        };
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8 (BOM or not), else GB18030 — what Excel saves as "CSV" on a Chinese Windows.</summary>
    internal static string DecodeCsv(byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(54936).GetString(bytes);
        }
    }

    /// <summary>RFC 4180 records with the physical line each starts on; quoted fields may hold commas, quotes and newlines.</summary>
    internal static List<(int Line, string[] Cells)> ReadCsv(byte[] bytes)
    {
        var text = DecodeCsv(bytes);
        var rows = new List<(int, string[])>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    cell.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    if (any || cells.Any(x => x.Length > 0))
                    {
                        rows.Add((recordLine, cells.ToArray()));
                    }

                    cells.Clear();
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    cell.Append(c);
                    any = true;
                    break;
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"line {recordLine}: a quoted field is never closed");
        }

        if (any || cell.Length > 0)
        {
            cells.Add(cell.ToString());
            rows.Add((recordLine, cells.ToArray()));
        }

        return rows;
    }

    private static List<(int Line, string[] Cells)> ReadXlsx(string path)
    {
        using var workbook = new XLWorkbook(path);
        var sheet = workbook.Worksheets.FirstOrDefault() ?? throw new InvalidDataException("the workbook has no worksheet");
        var used = sheet.RangeUsed();
        if (used is null)
        {
            return [];
        }

        var lastColumn = used.LastColumn().ColumnNumber();
        var rows = new List<(int, string[])>();
        foreach (var row in sheet.RowsUsed())
        {
            var cells = new string[lastColumn];
            for (var c = 1; c <= lastColumn; c++)
            {
                cells[c - 1] = CellText(row.Cell(c));
            }

            rows.Add((row.RowNumber(), cells));
        }

        return rows;
    }

    /// <summary>A cell as the text a person typed: numbers without ".0" or exponent (a site code typed as a number stays 10 digits).</summary>
    private static string CellText(IXLCell cell)
    {
        if (cell.DataType == XLDataType.Number && cell.Value is double number)
        {
            return number == Math.Floor(number) && Math.Abs(number) < 1e15
                ? ((long)number).ToString(CultureInfo.InvariantCulture)
                : number.ToString(CultureInfo.InvariantCulture);
        }

        return cell.GetString();
    }

    [GeneratedRegex(@"^(\d{10}|bm\d{8})$")]
    private static partial Regex SiteCodePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
