using System.Text;
using SiteWatch.Cli;

Console.OutputEncoding = new UTF8Encoding(false);
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
return await SiteWatchCommandLine.Build().Parse(args).InvokeAsync();
