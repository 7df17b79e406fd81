namespace SiteWatch.Core.Model;

/// <summary>What is inspected: a government website or a new-media account.</summary>
public enum TargetKind
{
    Website,
    Account,
}

/// <summary>One row of the registry (see contract.md §2). Immutable; the registry upserts by <see cref="Id"/>.</summary>
public sealed record Target
{
    public required string Id { get; init; }
    public required TargetKind Kind { get; init; }
    public required string Name { get; init; }
    public required string Url { get; init; }
    public required string Organization { get; init; }
    public required string Region { get; init; }
    public string? Platform { get; init; }
    public string? Account { get; init; }
    public string? Supervisor { get; init; }
    public string? Level { get; init; }
    public string? SiteCode { get; init; }
    public string? Icp { get; init; }
    public string? ContactEmail { get; init; }
}

public static class TargetKinds
{
    public static string ToCode(this TargetKind kind) => kind == TargetKind.Website ? "website" : "account";

    /// <summary>The kind stored as <see cref="ToCode"/> wrote it.</summary>
    public static TargetKind FromCode(string code) => code == "account" ? TargetKind.Account : TargetKind.Website;

    /// <summary>Parses <c>website</c>/<c>网站</c> or <c>account</c>/<c>新媒体</c> (case-insensitive).</summary>
    public static bool TryParse(string? text, out TargetKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "website" or "网站" or "政府网站":
                kind = TargetKind.Website;
                return true;
            case "account" or "新媒体" or "政务新媒体":
                kind = TargetKind.Account;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}
