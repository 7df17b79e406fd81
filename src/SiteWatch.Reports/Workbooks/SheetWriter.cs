using ClosedXML.Excel;

namespace SiteWatch.Reports.Workbooks;

/// <summary>
/// Writes one print-ready sheet: literal text cells, explicit column widths (AdjustToContents needs GDI+, which
/// Linux lacks), wrapped text, a frozen and repeated header row, an auto-filter, A4 landscape, header and footer.
/// </summary>
internal sealed class SheetWriter(IXLWorksheet sheet)
{
    /// <summary>Widest a column gets, in characters (CJK counted double); longer text wraps.</summary>
    public const double MaxWidth = 60;

    private const double MinWidth = 6;

    private readonly Dictionary<int, double> widths = [];
    private readonly Dictionary<int, double> caps = [];

    public IXLWorksheet Sheet { get; } = sheet;

    /// <summary>
    /// Crawled or registry text, always literal: the cell is typed Text before and after its value is set, so a
    /// value starting with = + - @ (or looking like a number or date) never becomes a formula, number or date.
    /// </summary>
    public IXLCell Text(int row, int column, string? value)
    {
        var cell = Sheet.Cell(row, column);
        cell.DataType = XLDataType.Text;
        cell.SetValue(value ?? "");
        cell.DataType = XLDataType.Text;
        Measure(column, value ?? "");
        return cell;
    }

    public IXLCell Number(int row, int column, double value, string format = "0")
    {
        var cell = Sheet.Cell(row, column);
        cell.SetValue(value);
        cell.Style.NumberFormat.Format = format;
        Measure(column, value.ToString(System.Globalization.CultureInfo.InvariantCulture) + (format.EndsWith('%') ? "%" : ""));
        return cell;
    }

    /// <summary>A bold, shaded, bordered header row.</summary>
    public void Header(int row, params string[] titles)
    {
        for (var i = 0; i < titles.Length; i++)
        {
            Text(row, i + 1, titles[i]);
        }

        var range = Sheet.Range(row, 1, row, titles.Length);
        range.Style.Font.Bold = true;
        range.Style.Fill.BackgroundColor = XLColor.FromHtml("#D9E1F2");
        range.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
        range.Style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
    }

    /// <summary>Caps a column narrower than <see cref="MaxWidth"/> (long URLs and evidence wrap instead).</summary>
    public void Cap(int column, double width) => caps[column] = width;

    /// <summary>
    /// Finishes a sheet whose table is <paramref name="headerRow"/>..<paramref name="lastRow"/> × 1..<paramref name="lastColumn"/>:
    /// widths, wrap, borders, frozen rows down to the header, filter, print setup.
    /// </summary>
    public void Finish(int headerRow, int lastRow, int lastColumn, string headerText, bool filter = true)
    {
        foreach (var (column, width) in widths)
        {
            var cap = caps.GetValueOrDefault(column, MaxWidth);
            Sheet.Column(column).Width = Math.Clamp(width + 2, MinWidth, cap);
        }

        // Wrapped rows get their height set here: Excel and LibreOffice do not grow a row that has a stored height, and
        // ClosedXML cannot measure text on Linux (AdjustToContents needs GDI+).
        for (var row = headerRow + 1; row <= lastRow; row++)
        {
            var lines = 1.0;
            for (var column = 1; column <= lastColumn; column++)
            {
                var text = Sheet.Cell(row, column).GetString();
                if (text.Length > 0 && !Sheet.Cell(row, column).IsMerged())
                {
                    var width = Math.Max(1, Sheet.Column(column).Width - 1);
                    lines = Math.Max(lines, text.Split('\n').Sum(l => Math.Max(1, Math.Ceiling(DisplayWidth(l) / width))));
                }
            }

            if (lines > 1)
            {
                Sheet.Row(row).Height = 15 * Math.Min(lines, 20) + 3;
            }
        }

        var used = Sheet.Range(1, 1, Math.Max(lastRow, headerRow), lastColumn);
        used.Style.Alignment.WrapText = true;
        used.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        var table = Sheet.Range(headerRow, 1, Math.Max(lastRow, headerRow), lastColumn);
        table.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        table.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        Sheet.Range(headerRow, 1, headerRow, lastColumn).Style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
        Sheet.SheetView.FreezeRows(headerRow);
        if (filter && lastRow > headerRow)
        {
            table.SetAutoFilter();
        }

        var page = Sheet.PageSetup;
        page.PaperSize = XLPaperSize.A4Paper;
        page.PageOrientation = XLPageOrientation.Landscape;
        page.FitToPages(1, 0);
        page.SetRowsToRepeatAtTop(headerRow, headerRow);
        page.Margins.Top = 0.8;
        page.Margins.Bottom = 0.8;
        page.Margins.Left = 0.5;
        page.Margins.Right = 0.5;
        page.Header.Center.AddText(headerText, XLHFOccurrence.AllPages);
        page.Footer.Center.AddText("第 &P 页 共 &N 页", XLHFOccurrence.AllPages);
    }

    /// <summary>
    /// Merged wrapped cells do not grow their row in Excel: sets the height of <paramref name="row"/> from the text in
    /// <paramref name="column"/> and the width of the merged columns up to <paramref name="lastColumn"/>.
    /// </summary>
    public void FitMergedRow(int row, int column, int lastColumn, string text)
    {
        var width = Enumerable.Range(column, lastColumn - column + 1).Sum(c => Sheet.Column(c).Width);
        var lines = text.Split('\n').Sum(l => Math.Max(1, Math.Ceiling(DisplayWidth(l) / Math.Max(1, width - 1))));
        Sheet.Row(row).Height = 15 * lines + 3;
    }

    /// <summary>Display width of text: CJK and other wide characters count double; the longest line counts.</summary>
    public static double DisplayWidth(string text)
    {
        double best = 0;
        foreach (var line in text.Split('\n'))
        {
            double width = 0;
            foreach (var c in line)
            {
                width += IsWide(c) ? 2 : 1;
            }

            best = Math.Max(best, width);
        }

        return best;
    }

    private static bool IsWide(char c) =>
        c is >= '\u1100' and <= '\u115F' or >= '\u2E80' and <= '\uA4CF' or >= '\uAC00' and <= '\uD7A3'
            or >= '\uF900' and <= '\uFAFF' or >= '\uFE30' and <= '\uFE4F' or >= '\uFF00' and <= '\uFF60' or >= '\uFFE0' and <= '\uFFE6'
            or >= '\uD800' and <= '\uDFFF';

    private void Measure(int column, string value) =>
        widths[column] = Math.Max(widths.GetValueOrDefault(column), DisplayWidth(value));
}
