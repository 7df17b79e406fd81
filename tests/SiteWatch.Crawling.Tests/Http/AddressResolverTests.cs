using System.Net;
using SiteWatch.Crawling.Http;

namespace SiteWatch.Crawling.Tests.Http;

public sealed class AddressResolverTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.8", true)]
    [InlineData("172.16.5.4", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("220.181.38.148", false)]
    [InlineData("2400:da00::6666", false)]
    public void IsPrivate_RecognisesAddressesAnSsrfWouldAbuse(string address, bool expected)
    {
        Assert.Equal(expected, AddressResolver.IsPrivate(IPAddress.Parse(address)));
    }
}
