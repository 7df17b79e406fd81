using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.TestKit;

namespace SiteWatch.Scheduling.Tests;

/// <summary>tls-invalid end to end: HTTPS fixture sites with made-up certificates, a test root trusted through Network:ExtraTrustedRoots.</summary>
public sealed class TlsInspectionTests : IDisposable
{
    private const string Host = "www.linjiang.gov.cn";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));
    private readonly TempFolder folder = new();
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 root = TestCertificates.Authority();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Inspect_ReportsAnExpiredSelfSignedCertificate_AndStillChecksTheSite()
    {
        var now = TimeProvider.System.GetUtcNow();
        var findings = await InspectAsync(TestCertificates.Leaf(Host, now.AddYears(-2), now.AddDays(-3)));

        var tls = Assert.Single(findings, f => f.Check == "tls-invalid");
        Assert.Equal(Host, tls.Subject);
        Assert.Equal(Severity.Deduct, tls.Severity);
        Assert.StartsWith("certificate expired, self-signed; valid ", tls.Detail);
        Assert.Contains($"issuer CN={Host}", tls.Detail);
        Assert.Contains(findings, f => f.Check == "dead-link" && f.Subject == $"https://{Host}/gone.html");
    }

    [Fact]
    public async Task Inspect_ReportsACertificateForAnotherHost()
    {
        var now = TimeProvider.System.GetUtcNow();
        var findings = await InspectAsync(TestCertificates.Leaf("www.other.gov.cn", now.AddDays(-10), now.AddYears(1), root));

        var tls = Assert.Single(findings, f => f.Check == "tls-invalid");
        Assert.StartsWith("certificate issued for another host; ", tls.Detail);
    }

    [Fact]
    public async Task Inspect_ReportsACertificateThatIsNotValidYet_EvenFromATrustedRoot()
    {
        var now = TimeProvider.System.GetUtcNow();
        var findings = await InspectAsync(TestCertificates.Leaf(Host, now.AddDays(5), now.AddYears(1), root));

        Assert.StartsWith("certificate not yet valid; ", Assert.Single(findings, f => f.Check == "tls-invalid").Detail);
    }

    [Fact]
    public async Task Inspect_ReportsAServerThatSendsItsCertificateWithoutTheIntermediate()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var intermediate = TestCertificates.Intermediate(root);
        var findings = await InspectAsync(TestCertificates.Leaf(Host, now.AddDays(-10), now.AddYears(1), intermediate));

        var tls = Assert.Single(findings, f => f.Check == "tls-invalid");
        Assert.StartsWith("certificate incomplete chain (intermediate certificate not sent); ", tls.Detail);
        Assert.Contains("issuer CN=SiteWatch Test Intermediate CA", tls.Detail);
    }

    [Fact]
    public async Task Inspect_GivesANotice_WhenAValidCertificateExpiresSoon_AndNothing_WhenItDoesNot()
    {
        var now = TimeProvider.System.GetUtcNow();
        var soon = await InspectAsync(TestCertificates.Leaf(Host, now.AddDays(-80), now.AddDays(10).AddHours(1), root));
        var later = await InspectAsync(TestCertificates.Leaf(Host, now.AddDays(-80), now.AddDays(200), root));

        var notice = Assert.Single(soon, f => f.Check == "tls-invalid");
        Assert.Equal(Severity.Notice, notice.Severity);
        Assert.StartsWith("certificate expires in 10 days; ", notice.Detail);
        Assert.DoesNotContain(later, f => f.Check == "tls-invalid");
        Assert.Single(later, f => f.Check == "dead-link");
    }

    private async Task<IReadOnlyList<Finding>> InspectAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        await using var site = await FakeSite.StartAsync(s => s
            .Page("/", "<html><body><p>网站标识码：4306260001 湘ICP备05001234号 湘公网安备 43062602000123号</p><img alt=\"党政机关\" src=\"/b.png\"><a href=\"/gone.html\">旧页面</a></body></html>")
            .Raw("/b.png", [0x89, 0x50], "image/png"), certificate);
        await using var services = new TestServices(new Dictionary<string, string?>
        {
            [$"Network:ConnectTo:{Host}"] = site.EndPoint,
            ["Network:ExtraTrustedRoots:0"] = TestCertificates.WritePem(root, folder.File($"root-{Guid.NewGuid():N}.pem")),
        });
        var target = TargetInspectorTests.Target() with { Url = $"https://{Host}/" };

        var inspection = await services.Get<TargetInspector>().InspectAsync(target, TargetInspectorTests.Round(), CancellationToken.None);
        return inspection.Findings;
    }
}
