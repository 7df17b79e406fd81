using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.SeriousError;

/// <summary>
/// serious-error (严重错误): a phrase of the serious-error list in the visible text of a crawled page. One finding
/// per phrase, first page as its URL, the surrounding sentence as evidence, every page it is on counted.
/// </summary>
public sealed class SeriousErrorCheck : ICheck
{
    private static readonly char[] SentenceEnds = ['。', '！', '？', '；', '!', '?', ';', '\n'];

    public string Key => "serious-error";

    public string DisplayName => "严重错误";

    public TargetKind Kind => TargetKind.Website;

    /// <summary>Websites' pages and accounts' posts (each post is handed over as a page of its own).</summary>
    public bool AppliesTo(TargetKind kind) => true;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(SeriousErrorCheck check, CheckContext context) : ICheckSession
    {
        private readonly Dictionary<string, Finding> byPhrase = new(StringComparer.Ordinal);

        public void OnPage(CrawledPage page)
        {
            if (page.Document?.Body is not { } body || context.Rules.SeriousError.Phrases.Count == 0)
            {
                return;
            }

            // Visible text only: script and style bodies are not read by a visitor.
            var text = PageText.Visible(body);
            foreach (var phrase in context.Rules.SeriousError.Phrases)
            {
                var at = text.IndexOf(phrase, StringComparison.Ordinal);
                if (at < 0)
                {
                    continue;
                }

                if (byPhrase.TryGetValue(phrase, out var existing))
                {
                    byPhrase[phrase] = existing with { Occurrences = existing.Occurrences + 1 };
                    continue;
                }

                byPhrase[phrase] = new Finding
                {
                    Check = check.Key,
                    Severity = context.Rules.SeriousError.Severity,
                    Url = page.Url,
                    Subject = phrase,
                    Detail = $"“{phrase}” in the page text" + (page.IsHomePage ? "; on the home page" : ""),
                    ObservedAt = context.Round.AsOf,
                    Evidence = Sentence(text, at, phrase.Length),
                };
            }
        }

        public CheckResult Complete(SiteCrawl crawl) => CheckResult.Flagged(byPhrase.Values.ToList());

        private static string Sentence(string text, int at, int length)
        {
            var start = text.LastIndexOfAny(SentenceEnds, Math.Max(0, at - 1)) + 1;
            start = Math.Max(start, at - 120);
            var end = text.IndexOfAny(SentenceEnds, at + length);
            end = end < 0 ? Math.Min(text.Length, at + length + 120) : Math.Min(end + 1, at + length + 120);
            return System.Text.RegularExpressions.Regex.Replace(text[start..end], @"\s+", " ").Trim();
        }
    }
}
