using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SiteWatch.TestKit;

/// <summary>Certificates made on the spot for HTTPS fixture sites: a test CA, and leaves signed by it or by themselves.</summary>
public static class TestCertificates
{
    public static X509Certificate2 Authority(string name = "SiteWatch Test Root CA")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = TimeProvider.System.GetUtcNow();
        return Usable(request.CreateSelfSigned(now.AddYears(-1), now.AddYears(5)));
    }

    /// <summary>An intermediate CA signed by <paramref name="root"/>; servers in tests do not send it unless told to.</summary>
    public static X509Certificate2 Intermediate(X509Certificate2 root, string name = "SiteWatch Test Intermediate CA")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = TimeProvider.System.GetUtcNow();
        using var signed = request.Create(root, now.AddMonths(-6), now.AddYears(3), RandomNumberGenerator.GetBytes(12));
        return Usable(signed.CopyWithPrivateKey(key));
    }

    /// <summary>A server certificate for <paramref name="host"/>, signed by <paramref name="issuer"/> or by itself when null.</summary>
    public static X509Certificate2 Leaf(string host, DateTimeOffset notBefore, DateTimeOffset notAfter, X509Certificate2? issuer = null) =>
        Leaf([host], notBefore, notAfter, issuer);

    /// <summary>A server certificate for several hosts (the first is its subject), signed by <paramref name="issuer"/> or by itself when null.</summary>
    public static X509Certificate2 Leaf(IReadOnlyList<string> hosts, DateTimeOffset notBefore, DateTimeOffset notAfter, X509Certificate2? issuer = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hosts[0]}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        if (issuer is null)
        {
            return Usable(request.CreateSelfSigned(notBefore, notAfter));
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var signed = request.Create(issuer, notBefore, notAfter, serial);
        return Usable(signed.CopyWithPrivateKey(key));
    }

    /// <summary>Writes the certificate as PEM (for Network:ExtraTrustedRoots).</summary>
    public static string WritePem(X509Certificate2 certificate, string path)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    // Kestrel on Linux needs a key it can use from a persisted store; a PKCS#12 round trip gives one.
    private static X509Certificate2 Usable(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
