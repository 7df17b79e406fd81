using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SiteWatch.Core.Model;

namespace SiteWatch.Reports.Mail;

/// <summary>The <c>Mail</c> section: the SMTP server correction notices are sent through.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;

    /// <summary>none | starttls | ssl.</summary>
    public string Security { get; set; } = "starttls";
    public string? User { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "";
    public string FromName { get; set; } = "SiteWatch 政府网站与政务新媒体检查";
}

/// <summary>The SMTP server could not be used at all (not configured, refused, failed login): one line saying why.</summary>
public sealed class NoticeMailException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What happened to one target's notice: sent to an address, or why not.</summary>
public sealed record MailOutcome(string TargetId, string? To, bool Sent, string? Reason);

/// <summary>
/// Sends each target's correction notice (整改通知) to the target's <c>contact_email</c> in the registry, the workbook
/// attached and its problems summarised in the body. Targets without an address are reported, not skipped silently.
/// One SMTP connection per run; a refused message is recorded and the others still go.
/// </summary>
public sealed class NoticeMailer(MailOptions options)
{
    public async Task<IReadOnlyList<MailOutcome>> SendAsync(ReportInput input, ReportResult result, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Host) || string.IsNullOrWhiteSpace(options.From))
        {
            throw new InvalidOperationException("Mail:Host and Mail:From must be set to send correction notices (appsettings or --config)");
        }

        var outcomes = new List<MailOutcome>();
        var notices = result.Notices.ToDictionary(n => Path.GetFileName(n)!, StringComparer.Ordinal);
        using var client = new SmtpClient();
        var security = options.Security.ToLowerInvariant() switch
        {
            "none" => SecureSocketOptions.None,
            "ssl" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        await client.ConnectAsync(options.Host, options.Port, security, ct);
        if (!string.IsNullOrEmpty(options.User))
        {
            await client.AuthenticateAsync(options.User, options.Password ?? "", ct);
        }

        foreach (var target in input.Targets)
        {
            if (!notices.TryGetValue(ReportWriter.NoticeFileName(target), out var file))
            {
                continue; // no findings, no notice
            }

            if (string.IsNullOrWhiteSpace(target.ContactEmail) || !MailboxAddress.TryParse(target.ContactEmail, out var to))
            {
                outcomes.Add(new MailOutcome(target.Id, target.ContactEmail, false, "no valid contact_email in the registry"));
                continue;
            }

            try
            {
                await client.SendAsync(Message(input, result, target, to, file), ct);
                outcomes.Add(new MailOutcome(target.Id, to.Address, true, null));
            }
            catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException)
            {
                outcomes.Add(new MailOutcome(target.Id, to.Address, false, e.Message));
            }
        }

        await client.DisconnectAsync(quit: true, ct);
        return outcomes;
    }

    private MimeMessage Message(ReportInput input, ReportResult result, Target target, MailboxAddress to, string file)
    {
        var deadline = input.NoticeDeadline;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.From));
        message.To.Add(to);
        message.Subject = $"【整改通知】{input.Round.Id} {target.Name}";
        var judged = result.Verdicts[target.Id];
        var verdict = judged.Qualified ? "合格（仍请整改下列问题）" : "不合格";
        var body = new BodyBuilder
        {
            TextBody = string.Create(CultureInfo.InvariantCulture, $"""
                {target.Organization}：

                在 {input.Round.Id} 轮次（检测时间点 {input.Round.AsOf:yyyy-MM-dd HH:mm zzz}）的检查中，{target.Name}（{target.Url}）的结论为：{verdict}。
                共发现 {judged.Findings.Count} 个问题，详见附件整改通知。请于 {deadline:yyyy年M月d日} 前完成整改并按附件所列方式回复。

                {input.Scoring.ReplyTo}

                {input.Scoring.Issuer}
                """),
        };
        body.Attachments.Add(Path.GetFileName(file), File.ReadAllBytes(file), new ContentType("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        message.Body = body.ToMessageBody();
        return message;
    }
}
