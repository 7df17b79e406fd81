namespace SiteWatch.Core.Model;

/// <summary>The TLS certificate a host presented, and what is wrong with it (empty when a browser would accept it).</summary>
public sealed record CertificateReport(
    string Host,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    IReadOnlyList<string> Problems,
    DateTimeOffset CheckedAt);
