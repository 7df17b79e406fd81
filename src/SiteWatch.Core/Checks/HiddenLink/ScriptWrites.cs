using System.Text;

namespace SiteWatch.Core.Checks.HiddenLink;

/// <summary>
/// What an inline script writes into the page with <c>document.write(...)</c> / <c>writeln</c>, as far as it is
/// spelled out in string literals: <c>'&lt;div style="display:none"&gt;' + '&lt;a href=…&gt;'</c>, with JavaScript
/// escapes (\x3C, \u003C, \') and <c>unescape('%3C…')</c> decoded. Variables and computed strings are skipped;
/// code that builds the markup at run time (eval, String.fromCharCode) is not seen — a real browser would be.
/// </summary>
public static class ScriptWrites
{
    private static readonly string[] Calls = ["document.writeln(", "document.write("];

    /// <summary>The markup of every document.write call in <paramref name="script"/>, concatenated in call order.</summary>
    public static string Extract(string script)
    {
        var written = new StringBuilder();
        var at = 0;
        while (at < script.Length)
        {
            var (call, next) = NextCall(script, at);
            if (call < 0)
            {
                break;
            }

            at = ReadArguments(script, next, written);
        }

        return written.ToString();
    }

    private static (int Call, int ArgumentsStart) NextCall(string script, int from)
    {
        var best = -1;
        var length = 0;
        foreach (var name in Calls)
        {
            var i = script.IndexOf(name, from, StringComparison.Ordinal);
            if (i >= 0 && (best < 0 || i < best))
            {
                best = i;
                length = name.Length;
            }
        }

        return (best, best + length);
    }

    /// <summary>Reads literals joined by '+' up to the call's closing parenthesis; returns where reading stopped.</summary>
    private static int ReadArguments(string s, int i, StringBuilder written)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is '\'' or '"' or '`')
            {
                i = ReadLiteral(s, i, written, percentEncoded: false);
                continue;
            }

            if (s.AsSpan(i).StartsWith("unescape(", StringComparison.Ordinal))
            {
                var start = i + "unescape(".Length;
                while (start < s.Length && char.IsWhiteSpace(s[start]))
                {
                    start++;
                }

                if (start < s.Length && s[start] is '\'' or '"')
                {
                    i = ReadLiteral(s, start, written, percentEncoded: true);
                    continue;
                }
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                if (depth == 0)
                {
                    return i + 1;
                }

                depth--;
            }
            else if (c == ';' && depth == 0)
            {
                return i + 1;
            }

            i++;
        }

        return i;
    }

    private static int ReadLiteral(string s, int open, StringBuilder written, bool percentEncoded)
    {
        var quote = s[open];
        var literal = new StringBuilder();
        var i = open + 1;
        while (i < s.Length && s[i] != quote)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i = Escape(s, i + 1, literal);
                continue;
            }

            if (quote == '`' && s[i] == '$' && i + 1 < s.Length && s[i + 1] == '{')
            {
                // A template placeholder is computed at run time: skip to its end.
                var close = s.IndexOf('}', i);
                i = close < 0 ? s.Length : close + 1;
                continue;
            }

            literal.Append(s[i]);
            i++;
        }

        var text = literal.ToString();
        if (percentEncoded)
        {
            try
            {
                text = Uri.UnescapeDataString(text);
            }
            catch (UriFormatException)
            {
                // Not percent-encoded after all; keep the literal as written.
            }
        }

        written.Append(text);
        return Math.Min(s.Length, i + 1);
    }

    private static int Escape(string s, int i, StringBuilder literal)
    {
        var c = s[i];
        switch (c)
        {
            case 'n':
                literal.Append('\n');
                return i + 1;
            case 't':
                literal.Append('\t');
                return i + 1;
            case 'r':
                return i + 1;
            case 'x' when i + 2 < s.Length && IsHex(s.AsSpan(i + 1, 2)):
                literal.Append((char)Convert.ToInt32(s.Substring(i + 1, 2), 16));
                return i + 3;
            case 'u' when i + 4 < s.Length && IsHex(s.AsSpan(i + 1, 4)):
                literal.Append((char)Convert.ToInt32(s.Substring(i + 1, 4), 16));
                return i + 5;
            case '\n':
                return i + 1; // line continuation
            default:
                literal.Append(c);
                return i + 1;
        }
    }

    private static bool IsHex(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
