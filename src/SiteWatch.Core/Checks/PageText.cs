using System.Text;
using AngleSharp.Dom;

namespace SiteWatch.Core.Checks;

/// <summary>Text of a page as a visitor reads it, without touching the document other checks share.</summary>
public static class PageText
{
    /// <summary>The text nodes under <paramref name="root"/> outside script, style, noscript and template, in order.</summary>
    public static string Visible(IElement root)
    {
        var text = new StringBuilder();
        foreach (var node in root.Descendants<IText>())
        {
            if (node.ParentElement?.Closest("script, style, noscript, template") is null)
            {
                text.Append(node.Data);
            }
        }

        return text.ToString();
    }
}
