using System.Net;
using System.Net.Sockets;
using netDumbster.smtp;
using SiteWatch.Reports.Mail;
using SiteWatch.Storage;

namespace SiteWatch.Reports.Tests.Reports;

/// <summary>Correction notices by e-mail, through a real SMTP server on loopback (netDumbster's sink).</summary>
public sealed class NoticeMailerTests
{
    [Fact]
    public async Task SendAsync_MailsEachNoticeToItsContact_WithTheWorkbookAttached_AndNamesTargetsWithoutAnAddress()
    {
        await using var fixture = await ReportFixture.CreateAsync();
        var targets = fixture.Services.Get<TargetStore>();
        var registry = await targets.ListAsync(CancellationToken.None);
        await targets.UpsertAsync(registry.Where(t => t.Id is "4306260001" or "4306270001").Select(t => t with { ContactEmail = $"webmaster@{t.Id}.gov.cn" }).ToList(),
            dryRun: false, CancellationToken.None);
        var (_, input, result) = await fixture.WriteAsync();
        var port = FreePort();
        using var smtp = SimpleSmtpServer.Start(port);

        var outcomes = await new NoticeMailer(new MailOptions { Host = "127.0.0.1", Port = port, Security = "none", From = "jc@gov.example.cn" })
            .SendAsync(input, result, CancellationToken.None);

        Assert.Equal(["4306260001", "4306270001"], outcomes.Where(o => o.Sent).Select(o => o.TargetId).Order(StringComparer.Ordinal));
        Assert.All(outcomes.Where(o => !o.Sent), o => Assert.Equal("no valid contact_email in the registry", o.Reason));
        Assert.Equal(result.Notices.Count, outcomes.Count);
        Assert.Equal(2, smtp.ReceivedEmailCount);
        var mail = smtp.ReceivedEmail.Single(m => m.ToAddresses.Any(a => a.Address == "webmaster@4306260001.gov.cn"));
        Assert.Equal("【整改通知】2026Q4 临江县人民政府", mail.Subject);
        Assert.Contains(mail.MessageParts, p => p.HeaderData.Contains("attachment", StringComparison.OrdinalIgnoreCase)
            && p.HeaderData.Contains("spreadsheetml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_SaysWhatToSet_WhenNoServerIsConfigured()
    {
        await using var fixture = await ReportFixture.CreateAsync();
        var (_, input, result) = await fixture.WriteAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new NoticeMailer(new MailOptions()).SendAsync(input, result, CancellationToken.None));

        Assert.Equal("Mail:Host and Mail:From must be set to send correction notices (appsettings or --config)", error.Message);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
