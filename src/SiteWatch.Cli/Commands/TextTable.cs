using System.Globalization;
using System.Text;

namespace SiteWatch.Cli.Commands;

/// <summary>A plain-text table whose columns line up in a terminal, counting CJK characters as two cells wide.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public void Add(params string?[] cells) => rows.Add(cells.Select(c => (c ?? "").ReplaceLineEndings(" ")).ToArray());

    public void WriteTo(TextWriter writer, int maxColumnWidth = 80)
    {
        var widths = headers.Select((h, i) => Math.Min(maxColumnWidth, rows.Select(r => Width(r[i])).Prepend(Width(h)).Max())).ToArray();
        WriteRow(writer, headers, widths, maxColumnWidth);
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            WriteRow(writer, row, widths, maxColumnWidth);
        }
    }

    /// <summary>Display width: East Asian wide and full-width characters take two cells.</summary>
    public static int Width(string text)
    {
        var width = 0;
        var runes = text.EnumerateRunes();
        foreach (var rune in runes)
        {
            width += IsWide(rune) ? 2 : 1;
        }

        return width;
    }

    private static bool IsWide(Rune rune)
    {
        var v = rune.Value;
        return v is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0x303E or >= 0x3041 and <= 0x33FF or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF or >= 0xA000 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x20000 and <= 0x3FFFD;
    }

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths, int max)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = Truncate(cells[i], max);
            line.Append(cell);
            if (i < cells.Length - 1)
            {
                line.Append(' ', widths[i] - Width(cell) + 2);
            }
        }

        writer.WriteLine(line.ToString().TrimEnd());
    }

    private static string Truncate(string text, int max)
    {
        if (Width(text) <= max)
        {
            return text;
        }

        var result = new StringBuilder();
        var width = 0;
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            var element = e.GetTextElement();
            var w = Width(element);
            if (width + w > max - 1)
            {
                break;
            }

            result.Append(element);
            width += w;
        }

        return result.Append('…').ToString();
    }
}
