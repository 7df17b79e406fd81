namespace SiteWatch.Storage;

/// <summary>The <c>Storage</c> section of appsettings.json.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>SQLite database file; its folder is created when missing.</summary>
    public string Database { get; set; } = "data/sitewatch.db";
}
