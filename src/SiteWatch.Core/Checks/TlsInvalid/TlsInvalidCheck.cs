using System.Globalization;
using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.TlsInvalid;

/// <summary>
/// tls-invalid (证书无效): the https site's own certificate is expired, not yet valid, self-signed or from an
/// untrusted root, issued for another host, or sent without its intermediate certificates; a valid one that
/// expires soon is a notice. Subject: the host. Plain-http sites and sites whose certificate was never seen pass.
/// </summary>
public sealed class TlsInvalidCheck : ICheck
{
    public string Key => "tls-invalid";

    public string DisplayName => "证书无效";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(TlsInvalidCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            if (crawl.Certificate is not { } certificate)
            {
                return CheckResult.Passed;
            }

            var rules = context.Rules.Tls;
            var facts = string.Create(CultureInfo.InvariantCulture,
                $"valid {certificate.NotBefore:yyyy-MM-dd} to {certificate.NotAfter:yyyy-MM-dd}, issuer {certificate.Issuer}, subject {certificate.Subject}");
            if (certificate.Problems.Count > 0)
            {
                return CheckResult.Flagged([Finding(rules.Severity, $"certificate {string.Join(", ", certificate.Problems)}; {facts}")]);
            }

            var left = certificate.NotAfter - certificate.CheckedAt;
            return left < TimeSpan.FromDays(rules.ExpiryNoticeDays)
                ? CheckResult.Flagged([Finding(Severity.Notice, string.Create(CultureInfo.InvariantCulture, $"certificate expires in {Math.Max(0, (int)left.TotalDays)} days; {facts}"))])
                : CheckResult.Passed;

            Finding Finding(Severity severity, string detail) => new()
            {
                Check = check.Key,
                Severity = severity,
                Url = crawl.HomeUrl,
                Subject = certificate.Host,
                Detail = detail,
                ObservedAt = context.Round.AsOf,
            };
        }
    }
}
