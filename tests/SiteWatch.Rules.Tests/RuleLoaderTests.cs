using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Rules;
using SiteWatch.TestKit;

namespace SiteWatch.Rules.Tests;

public sealed class RuleLoaderTests
{
    [Fact]
    public void Load_ReadsTheShippedRules()
    {
        var rules = RuleLoader.Load(RepoPaths.Rules);

        Assert.Equal(Severity.Deduct, rules.DeadLink.Severity);
        Assert.Contains("页面不存在", rules.DeadLink.SoftNotFoundTitles);
        Assert.Contains(405, rules.DeadLink.HeadRefusedStatuses);
        Assert.Equal(Severity.Deduct, rules.SiteUnreachable.SeverityAtInspection);
    }

    [Theory]
    [InlineData("severity: fatal\n", 1, "severity 'fatal' must be veto, deduct or notice")]
    [InlineData("severity: deduct\nsoft_not_found_titles: [a]\nshort_page_chars: lots\n", 3, "'lots' must be a whole number")]
    [InlineData("severity: deduct\nsoft_not_fund_titles: [a]\n", 2, "unknown key 'soft_not_fund_titles'")]
    [InlineData("severity: deduct\nhead_refused_statuses: [405, 99]\n", 2, "'99' must be a whole number from 100 to 599")]
    [InlineData("severity: [deduct\n", 2, "")]
    public void Load_NamesFileAndLine_WhenAValueIsBad(string yaml, int line, string message)
    {
        using var folder = new TempFolder();
        File.Copy(Path.Combine(RepoPaths.Rules, "site-unreachable.yaml"), folder.File("site-unreachable.yaml"));
        File.WriteAllText(folder.File("dead-link.yaml"), yaml);

        var error = Assert.Throws<RuleFileException>(() => RuleLoader.Load(folder.Path));

        Assert.StartsWith($"{folder.File("dead-link.yaml")}:{line}:", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Load_NamesFileAndLine_WhenAPatternDoesNotCompile()
    {
        using var folder = new TempFolder();
        foreach (var file in Directory.GetFiles(RepoPaths.Rules))
        {
            File.Copy(file, folder.File(Path.GetFileName(file)));
        }

        var path = folder.File("missing-identity.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("icp: '", "icp: '(unclosed", StringComparison.Ordinal));

        var error = Assert.Throws<RuleFileException>(() => RuleLoader.Load(folder.Path));

        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(path)}:\d+: not a valid regular expression", error.Message);
    }

    [Fact]
    public void Load_ReadsTheIdentityPatterns()
    {
        var rules = RuleLoader.Load(RepoPaths.Rules).MissingIdentity;

        Assert.Equal("4306260001", rules.SiteCode.Match("网站标识码：4306260001").Groups[1].Value);
        Assert.Equal("bm01000001", rules.SiteCode.Match("网站标识码 bm01000001").Groups[1].Value);
        Assert.Matches(rules.Icp, "湘ICP备12345678号");
        Assert.Matches(rules.Psb, "湘公网安备 43010202000123号");
        Assert.DoesNotMatch(rules.Psb, "湘公网安备 4301020200012号");
        Assert.Contains("conac.cn", rules.BadgeHosts);
    }

    [Fact]
    public void AddSiteWatchRules_AddsTheConfiguredExtraPhrases()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rules:Directory"] = RepoPaths.Rules,
            ["Checks:SeriousError:ExtraPhrases:0"] = "临江市长张三",
            ["Checks:SeriousError:ExtraPhrases:1"] = "台湾政府",
        }).Build();
        var services = new ServiceCollection();
        services.AddSiteWatchRules(configuration);
        using var provider = services.BuildServiceProvider();

        var phrases = provider.GetRequiredService<RuleSet>().SeriousError.Phrases;

        Assert.Contains("临江市长张三", phrases);
        Assert.Single(phrases, p => p == "台湾政府");
        Assert.Contains("中华民国总统", phrases);
    }

    [Fact]
    public void Load_ReadsTheHiddenLinkRules()
    {
        var rules = RuleLoader.Load(RepoPaths.Rules).HiddenLink;

        Assert.Equal(Severity.Veto, rules.Severity);
        Assert.Contains("gov.cn", rules.TrustedHosts);
        Assert.Contains("博彩", rules.Keywords);
        Assert.Equal(500, rules.OffscreenPixels);
        Assert.Contains("menu", rules.MenuMarkers);
    }

    [Theory]
    [InlineData("trusted_hosts:\n  - gov.cn\n  - https://www.x.com/\n", 3, "'https://www.x.com/' is not a host name")]
    [InlineData("offscreen_px: 10\n", 1, "'10' must be a whole number from 50 to 100000")]
    [InlineData("keywords: 博彩\n", 1, "expected a list")]
    [InlineData("menu_marker: [nav]\n", 1, "unknown key 'menu_marker'")]
    public void Load_NamesFileAndLine_WhenAHiddenLinkValueIsBad(string yaml, int line, string message)
    {
        using var folder = new TempFolder();
        foreach (var file in Directory.GetFiles(RepoPaths.Rules))
        {
            File.Copy(file, folder.File(Path.GetFileName(file)));
        }

        File.WriteAllText(folder.File("hidden-link.yaml"), yaml);

        var error = Assert.Throws<RuleFileException>(() => RuleLoader.Load(folder.Path));

        Assert.StartsWith($"{folder.File("hidden-link.yaml")}:{line}: {message}", error.Message);
    }

    [Fact]
    public void Load_ReadsTheOverseasHostRules()
    {
        var rules = RuleLoader.Load(RepoPaths.Rules).OverseasHost;

        Assert.Equal(Severity.Veto, rules.Severity);
        Assert.Equal(["CN"], rules.HomeCountries);
    }

    [Theory]
    [InlineData("severity: veto\nhome_countries: [CN, cn]\n", 2, "'cn' is not a country code: two upper-case letters")]
    [InlineData("severity: veto\nhome_countries:\n  - CN\n  - CHN\n", 4, "'CHN' is not a country code")]
    [InlineData("severity: veto\nhome_countries: []\n", 2, "list at least one home country")]
    [InlineData("severity: veto\nhome_country: [CN]\n", 2, "unknown key 'home_country'")]
    [InlineData("severity: severe\n", 1, "severity 'severe' must be veto, deduct or notice")]
    public void LoadOverseasHost_NamesFileAndLine_WhenAValueIsBad(string yaml, int line, string message)
    {
        using var folder = new TempFolder();
        var path = folder.File("overseas-host.yaml");
        File.WriteAllText(path, yaml);

        var error = Assert.Throws<RuleFileException>(() => RuleLoader.LoadOverseasHost(path));

        Assert.StartsWith($"{path}:{line}:", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AddSiteWatchRules_ReplacesTheHomeCountries_WhenGeoHomeCountriesIsSet()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rules:Directory"] = RepoPaths.Rules,
            ["Geo:HomeCountries:0"] = "CN",
            ["Geo:HomeCountries:1"] = "hk",
        }).Build();
        var services = new ServiceCollection();
        services.AddSiteWatchRules(configuration);
        using var provider = services.BuildServiceProvider();

        var rules = provider.GetRequiredService<RuleSet>().OverseasHost;

        Assert.Equal(["CN", "HK"], rules.HomeCountries);
        Assert.Equal(Severity.Veto, rules.Severity);
    }

    [Fact]
    public void AddSiteWatchRules_Fails_WhenGeoHomeCountriesHasABadCode()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rules:Directory"] = RepoPaths.Rules,
            ["Geo:HomeCountries:0"] = "China",
        }).Build();
        var services = new ServiceCollection();
        services.AddSiteWatchRules(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<RuleSet>());

        Assert.Equal("Geo:HomeCountries 'China' is not a country code: two letters (ISO 3166-1 alpha-2) such as CN", error.Message);
    }

    [Fact]
    public void Load_ReadsTheColumnClasses()
    {
        var rules = RuleLoader.Load(RepoPaths.Rules).Columns;

        Assert.Equal(new[] { "news", "notice", "yearly" }, rules.Classes.Select(c => c.Key));
        Assert.Equal(14, rules.Classes[0].MaxAgeDays);
        Assert.Contains("动态", rules.Classes[0].Words);
        Assert.Contains("暂无信息", rules.Placeholders);
        Assert.Equal(14, rules.HomepageMaxAgeDays);
        Assert.Empty(rules.Overrides);
    }

    [Theory]
    [InlineData("columns.yaml", "classes:\n  - key: News\n    max_age_days: 14\n    words: [动态]\n", 2, "class key 'News' must be lower-case")]
    [InlineData("columns.yaml", "classes:\n  - key: news\n    words: [动态]\n", 2, "a class needs key, max_age_days and words")]
    [InlineData("columns.yaml", "classes: []\nhomepage_max_age_days: 0\n", 2, "'0' must be a whole number from 1 to 3650")]
    [InlineData("column-overrides.yaml", "overrides:\n  - target: '4306260001'\n    name: 政策文件\n    class: weekly\n", 2, "class 'weekly' is not a class of columns.yaml")]
    [InlineData("column-overrides.yaml", "overrides:\n  - target: '4306260001'\n    class: news\n", 2, "an override needs target, class and either url or name")]
    public void Load_NamesFileAndLine_WhenAColumnRuleIsBad(string file, string yaml, int line, string message)
    {
        using var folder = new TempFolder();
        foreach (var existing in Directory.GetFiles(RepoPaths.Rules))
        {
            File.Copy(existing, folder.File(Path.GetFileName(existing)));
        }

        File.WriteAllText(folder.File(file), yaml);

        var error = Assert.Throws<RuleFileException>(() => RuleLoader.Load(folder.Path));

        Assert.StartsWith($"{folder.File(file)}:{line}: {message}", error.Message);
    }

    [Fact]
    public void Load_ReadsTheAccountRulesAndEveryPlatform()
    {
        var rules = RuleLoader.Load(RepoPaths.Rules);

        Assert.Equal((14, 90), (rules.Accounts.SleepingDays, rules.Accounts.ZombieDays));
        Assert.Equal("weibo", rules.Platforms["weibo"].Adapter);
        Assert.Contains("{account}", rules.Platforms["weibo"].UrlTemplate, StringComparison.Ordinal);
        Assert.Equal("rss", rules.Platforms["wechat"].Adapter);
        Assert.Equal("html", rules.Platforms["html"].Adapter);
        Assert.NotNull(rules.Platforms["browser"].ItemSelector);
        Assert.Contains("用户不存在", rules.Platforms["weibo"].ClosedPhrases);
    }

    [Theory]
    [InlineData("platforms/weibo.yaml", "name: 微博\nadapter: fax\n", 2, "adapter 'fax' must be one of rss, weibo, html, browser")]
    [InlineData("platforms/weibo.yaml", "name: 微博\nadapter: weibo\nurl_template: https://m.weibo.cn/\n", 3, "url_template must use {account}, {url} or {rsshub}")]
    [InlineData("platforms/html.yaml", "adapter: html\nitem_selector: 'li[[x'\n", 2, "'li[[x' is not a CSS selector")]
    [InlineData("platforms/html.yaml", "adapter: html\n", 1, "the html adapter needs item_selector and time_selector")]
    [InlineData("accounts.yaml", "sleeping_days: 30\nzombie_days: 20\n", 1, "zombie_days (20) must be more than sleeping_days (30)")]
    [InlineData("accounts.yaml", "sleeping_days: two weeks\n", 1, "'two weeks' must be a whole number")]
    public void Load_NamesFileAndLine_WhenAnAccountRuleIsBad(string file, string yaml, int line, string message)
    {
        using var folder = new TempFolder();
        foreach (var existing in Directory.GetFiles(RepoPaths.Rules, "*", SearchOption.AllDirectories))
        {
            var target = folder.File(Path.GetRelativePath(RepoPaths.Rules, existing));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(existing, target);
        }

        File.WriteAllText(folder.File(file), yaml);

        var error = Assert.Throws<RuleFileException>(() => RuleLoader.Load(folder.Path));

        Assert.StartsWith($"{folder.File(file)}:{line}: {message}", error.Message);
    }

    [Fact]
    public void AddSiteWatchRules_PutsTheConfiguredRssHubIntoThePlatforms()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rules:Directory"] = RepoPaths.Rules,
            ["Accounts:RssHub"] = "http://rsshub.linjiang.gov.cn:1200/",
        }).Build();
        var services = new ServiceCollection();
        services.AddSiteWatchRules(configuration);
        using var provider = services.BuildServiceProvider();

        var platforms = provider.GetRequiredService<RuleSet>().Platforms;

        Assert.Equal("http://rsshub.linjiang.gov.cn:1200/wechat/mp/{account}", platforms["wechat"].UrlTemplate);
    }

    [Fact]
    public void Load_SaysWhichFileIsMissing()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<RuleFileException>(() => RuleLoader.Load(folder.Path));

        Assert.Contains("dead-link.yaml: rule file missing", error.Message);
    }
}
