using System.Globalization;
using AngleSharp.Html.Parser;
using SiteWatch.Core.Freshness;

namespace SiteWatch.Core.Tests.Freshness;

public sealed class PublishDatesTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateRules Rules = new();

    [Theory]
    [InlineData("关于做好冬季安全生产工作的通知 2026-11-20", "2026-11-20")]
    [InlineData("关于做好冬季安全生产工作的通知2026-11-20", "2026-11-20")]
    [InlineData("2026/11/20 县政府召开常务会议", "2026-11-20")]
    [InlineData("县政府召开常务会议[2026-11-20]", "2026-11-20")]
    [InlineData("县政府召开常务会议 (2026-11-20)", "2026-11-20")]
    [InlineData("县政府召开常务会议（2026-11-20）", "2026-11-20")]
    [InlineData("县政府召开常务会议【2026-11-20】", "2026-11-20")]
    [InlineData("县政府召开常务会议 2026年11月20日", "2026-11-20")]
    [InlineData("县政府召开常务会议 2026 年 11 月 20 日", "2026-11-20")]
    [InlineData("县政府召开常务会议 2026年1月5日", "2026-01-05")]
    [InlineData("县政府召开常务会议 2026年11月20号", "2026-11-20")]
    [InlineData("县政府召开常务会议 2026.11.20", "2026-11-20")]
    [InlineData("县政府召开常务会议 2026-1-5", "2026-01-05")]
    [InlineData("县政府召开常务会议 2026-11-20 10:30", "2026-11-20")]
    [InlineData("县政府召开常务会议 2026-11-20 10:30:15", "2026-11-20")]
    [InlineData("县政府召开常务会议 2026-11-20T10:30:00+08:00", "2026-11-20")]
    [InlineData("县政府召开常务会议 2026-11-20-10:30:00", "2026-11-20")]
    [InlineData("县政府召开常务会议 ２０２６－１１－２０", "2026-11-20")]
    [InlineData("发布时间：２０２６年１１月２０日", "2026-11-20")]
    [InlineData("发布时间：2026-11-20", "2026-11-20")]
    [InlineData("发布时间:2026/11/20 10:30", "2026-11-20")]
    [InlineData("县政府召开常务会议 20261120", "2026-11-20")]
    [InlineData("20261120 县政府召开常务会议", "2026-11-20")]
    [InlineData("县政府召开常务会议[20261120]", "2026-11-20")]
    [InlineData("县政府召开常务会议 11-20", "2026-11-20")]
    [InlineData("县政府召开常务会议 11/20", "2026-11-20")]
    [InlineData("县政府召开常务会议 11月20日", "2026-11-20")]
    [InlineData("县政府召开常务会议 1月5日", "2026-01-05")]
    [InlineData("县政府召开常务会议 [11-20]", "2026-11-20")]
    [InlineData("县政府召开常务会议 12-30", "2025-12-30")]
    [InlineData("县政府召开常务会议 2026-02-28", "2026-02-28")]
    [InlineData("县政府召开常务会议 2024-02-29", "2024-02-29")]
    [InlineData("县政府召开常务会议 1990-01-01", "1990-01-01")]
    [InlineData("县政府召开常务会议 - 2026-11-20", "2026-11-20")]
    [InlineData("县政府召开常务会议-2026-11-20", "2026-11-20")]
    [InlineData("县政府召开常务会议 | 2026-11-20", "2026-11-20")]
    public void InItem_ReturnsTheDate_WhenTheFormatIsAccepted(string text, string expected)
    {
        Assert.Equal(Day(expected), PublishDates.InItem(text, AsOf, Rules));
    }

    [Theory]
    [InlineData("")]
    [InlineData("县政府召开常务会议")]
    [InlineData("县政府召开常务会议 2026-02-30")]
    [InlineData("县政府召开常务会议 2026-13-01")]
    [InlineData("县政府召开常务会议 2026年2月30日")]
    [InlineData("县政府召开常务会议 1989-12-31")]
    [InlineData("© 2006-2026 临江县人民政府 版权所有")]
    [InlineData("Copyright 2026 临江县人民政府")]
    [InlineData("版权所有 2026")]
    [InlineData("2026年")]
    [InlineData("联系电话：0731-84567890")]
    [InlineData("咨询电话 12345")]
    [InlineData("电话：(0731)8888-1234")]
    [InlineData("服务热线 400-123-4567")]
    [InlineData("邮编：410000")]
    [InlineData("湘ICP备12345678号")]
    [InlineData("湘ICP备20261120号")]
    [InlineData("湘公网安备 43010202000123号")]
    [InlineData("网站标识码：4306260001")]
    [InlineData("art_1229_20261120.html")]
    [InlineData("http://www.linjiang.gov.cn/art/2026/11/20/art_1229_1.html")]
    [InlineData("/col/t20261120_123456.html")]
    [InlineData("联系电话 20261120")]
    [InlineData("县政府召开常务会议 20261120 第二次")]
    [InlineData("系统升级至 v2.11.20 版本")]
    [InlineData("10:30")]
    [InlineData("上午 10:30-11:20 停电")]
    [InlineData("得分 11/20 分")]
    [InlineData("第 11-20 名")]
    [InlineData("完成率 3/4")]
    [InlineData("1-3 月经济运行情况")]
    [InlineData("2026年11月 工作简报")]
    [InlineData("版本 2026.11.20.1")]
    [InlineData("关于今天停水的通知")]
    [InlineData("刚刚发布的文件解读")]
    [InlineData("26-11-20")]
    [InlineData("“十四五”规划（2021-2025年）")]
    [InlineData("2026-2027学年第一学期")]
    [InlineData("2026-11 月度报告")]
    [InlineData("湘政发〔2026〕11号")]
    [InlineData("编号 0731-2026-11-20")]
    [InlineData("详见 2026-11-20.html")]
    [InlineData("/list?date=2026-11-20")]
    public void InItem_ReturnsNull_WhenTheTextHoldsATrap(string text)
    {
        Assert.Null(PublishDates.InItem(text, AsOf, Rules));
    }

    [Theory]
    [InlineData("县政府召开常务会议 2026-11-25", "2026-11-25")]
    [InlineData("县政府召开常务会议 11-25", "2026-11-25")]
    public void InItem_AcceptsTheDate_WhenItIsAtTheFutureTolerance(string text, string expected)
    {
        Assert.Equal(Day(expected), PublishDates.InItem(text, AsOf, Rules));
    }

    [Theory]
    [InlineData("县政府召开常务会议 2026-11-26")]
    [InlineData("县政府召开常务会议 2027-01-01")]
    [InlineData("县政府召开常务会议 2026年11月26日")]
    public void InItem_ReturnsNull_WhenTheDateIsBeyondTheFutureTolerance(string text)
    {
        Assert.Null(PublishDates.InItem(text, AsOf, Rules));
    }

    [Fact]
    public void InItem_TakesTheYearBefore_WhenAYearlessDateIsBeyondTheToleranceThisYear()
    {
        // 11-26 is three days ahead: last year's 11-26 is the one a list can show.
        Assert.Equal(new DateOnly(2025, 11, 26), PublishDates.InItem("县政府召开常务会议 11-26", AsOf, Rules));
    }

    [Fact]
    public void InItem_TakesNextYear_WhenAYearlessDateInJanuaryIsWithinToleranceOnNewYearsEve()
    {
        var newYearsEve = new DateTimeOffset(2026, 12, 31, 20, 0, 0, TimeSpan.FromHours(8));

        Assert.Equal(new DateOnly(2027, 1, 1), PublishDates.InItem("新年贺词 01-01", newYearsEve, Rules));
        Assert.Equal(new DateOnly(2026, 1, 3), PublishDates.InItem("工作简报 01-03", newYearsEve, Rules));
    }

    [Fact]
    public void InItem_FindsTheLatestLeapDay_WhenFebruary29HasNoYear()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), PublishDates.InItem("工作简报 02-29", AsOf, Rules));
    }

    [Fact]
    public void InItem_HonoursTheRules_WhenTheyAreNotTheDefaults()
    {
        var rules = new DateRules { FutureToleranceDays = 0, OldestYear = 2000 };

        Assert.Null(PublishDates.InItem("会议 2026-11-24", AsOf, rules));
        Assert.Equal(new DateOnly(2026, 11, 23), PublishDates.InItem("会议 2026-11-23", AsOf, rules));
        Assert.Null(PublishDates.InItem("会议 1999-12-31", AsOf, rules));
    }

    [Theory]
    [InlineData("发布 2026-11-20 更新 2026-11-21", "2026-11-21")]
    [InlineData("公示期：2026-11-01至2026-11-30", "2026-11-01")]
    [InlineData("公示期：2026-11-01-2026-11-30", "2026-11-01")]
    [InlineData("公示期：2026-11-01 - 2026-11-22", "2026-11-22")]
    [InlineData("公示期：2026年11月1日—2026年11月20日", "2026-11-20")]
    [InlineData("关于11月22日停水的通知 2026-11-20", "2026-11-20")]
    [InlineData("关于2026年11月22日停水的通知 2026-11-20", "2026-11-22")]
    [InlineData("第二季度 11-01 至 11-20", "2026-11-20")]
    public void InItem_ReturnsTheLatestPlausibleDate_WhenTheItemHasSeveral(string text, string expected)
    {
        Assert.Equal(Day(expected), PublishDates.InItem(text, AsOf, Rules));
    }

    [Theory]
    [InlineData("县政府召开常务会议 3天前", "2026-11-20")]
    [InlineData("县政府召开常务会议3 天前", "2026-11-20")]
    [InlineData("县政府召开常务会议 5小时前", "2026-11-23")]
    [InlineData("县政府召开常务会议 11小时前", "2026-11-22")]
    [InlineData("县政府召开常务会议 10分钟前", "2026-11-23")]
    [InlineData("县政府召开常务会议 30秒前", "2026-11-23")]
    [InlineData("县政府召开常务会议 2周前", "2026-11-09")]
    [InlineData("县政府召开常务会议 1个月前", "2026-10-23")]
    [InlineData("县政府召开常务会议 1年前", "2025-11-23")]
    [InlineData("县政府召开常务会议 刚刚", "2026-11-23")]
    [InlineData("县政府召开常务会议 今天", "2026-11-23")]
    [InlineData("县政府召开常务会议今天", "2026-11-23")]
    [InlineData("县政府召开常务会议 今天 09:15", "2026-11-23")]
    [InlineData("县政府召开常务会议 昨天", "2026-11-22")]
    [InlineData("县政府召开常务会议 昨天 18:00", "2026-11-22")]
    [InlineData("县政府召开常务会议 [前天]", "2026-11-21")]
    [InlineData("县政府召开常务会议 ３天前", "2026-11-20")]
    public void InItem_CountsFromAsOf_WhenTheDateIsRelative(string text, string expected)
    {
        Assert.Equal(Day(expected), PublishDates.InItem(text, AsOf, Rules));
    }

    [Theory]
    [InlineData("县政府召开常务会议 今天", "2026-11-23")]
    [InlineData("县政府召开常务会议 刚刚", "2026-11-23")]
    [InlineData("县政府召开常务会议 30分钟前", "2026-11-23")]
    [InlineData("县政府召开常务会议 1小时前", "2026-11-22")]
    [InlineData("县政府召开常务会议 昨天", "2026-11-22")]
    public void InItem_UsesAsOfsOffset_WhenAsOfIsJustAfterMidnight(string text, string expected)
    {
        // 00:30 +08:00 is still the 22nd in UTC: the day is asOf's own.
        var justAfterMidnight = new DateTimeOffset(2026, 11, 23, 0, 30, 0, TimeSpan.FromHours(8));

        Assert.Equal(Day(expected), PublishDates.InItem(text, justAfterMidnight, Rules));
    }

    [Fact]
    public void InItem_ConvertsAnExplicitOffset_ToAsOfsOffset()
    {
        Assert.Equal(new DateOnly(2026, 11, 21), PublishDates.InItem("更新于 2026-11-20T20:00:00Z", AsOf, Rules));
        Assert.Equal(new DateOnly(2026, 11, 20), PublishDates.InItem("更新于 2026-11-20T20:00:00+08:00", AsOf, Rules));
        Assert.Equal(new DateOnly(2026, 11, 21), PublishDates.InItem("更新于 2026-11-20T20:00:00.000-0500", AsOf, Rules));
    }

    [Theory]
    [InlineData("县政府召开常务会议 11-20", 2025, "2025-11-20")]
    [InlineData("县政府召开常务会议 11月20日", 2024, "2024-11-20")]
    [InlineData("县政府召开常务会议 01-05", 2026, "2026-01-05")]
    [InlineData("县政府召开常务会议 2025-11-20", 2024, "2025-11-20")]
    public void InItem_UsesTheYearHeading_ForYearlessDatesOnly(string text, int year, string expected)
    {
        Assert.Equal(Day(expected), PublishDates.InItem(text, AsOf, Rules, year));
    }

    [Theory]
    [InlineData("县政府召开常务会议 12-20", 2026)]
    [InlineData("县政府召开常务会议 02-29", 2025)]
    public void InItem_ReturnsNull_WhenTheHeadingsYearMakesTheDateImpossible(string text, int year)
    {
        Assert.Null(PublishDates.InItem(text, AsOf, Rules, year));
    }

    [Theory]
    [InlineData("2026年", 2026)]
    [InlineData("2026", 2026)]
    [InlineData(" 【2025年】 ", 2025)]
    [InlineData("[2024]", 2024)]
    [InlineData("2023年度", 2023)]
    [InlineData("２０２６年", 2026)]
    [InlineData("（2026年）", 2026)]
    public void YearHeading_ReturnsTheYear_WhenTheTextIsOnlyAYear(string text, int expected)
    {
        Assert.Equal(expected, PublishDates.YearHeading(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026年11月")]
    [InlineData("2026年工作要点")]
    [InlineData("© 2026")]
    [InlineData("12345")]
    [InlineData("0731")]
    [InlineData("1850年")]
    public void YearHeading_ReturnsNull_WhenTheTextIsMoreThanAYear(string text)
    {
        Assert.Null(PublishDates.YearHeading(text));
    }

    [Fact]
    public void All_ReturnsEveryPlausibleDate_InOrderOfAppearance()
    {
        const string text = "2026年11月20日，县政府召开常务会议（会议纪要 2026-11-21 印发）。下次会议 2026-12-30。电话 0731-84567890。11月5日已部署。";

        Assert.Equal(
            [new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 5)],
            PublishDates.All(text, AsOf, Rules));
    }

    [Fact]
    public void All_ReturnsEmpty_WhenThereIsNoDate()
    {
        Assert.Empty(PublishDates.All("版权所有 © 2006-2026 临江县人民政府 湘ICP备12345678号", AsOf, Rules));
    }

    [Theory]
    [InlineData("""<meta name="PubDate" content="2026-11-20 10:30">""", "2026-11-20")]
    [InlineData("""<meta name="pubdate" content="2026-11-20">""", "2026-11-20")]
    [InlineData("""<meta name="ArticlePubDate" content="2026/11/20">""", "2026-11-20")]
    [InlineData("""<meta name="firstpublishedtime" content="2026-11-20-10:33:52">""", "2026-11-20")]
    [InlineData("""<meta name="publishdate" content="20261120">""", "2026-11-20")]
    [InlineData("""<meta name="publishdate" content="202611201006">""", "2026-11-20")]
    [InlineData("""<meta property="article:published_time" content="2026-11-20T10:30:00+08:00">""", "2026-11-20")]
    [InlineData("""<meta property="article:published_time" content="2026-11-20T20:00:00Z">""", "2026-11-21")]
    [InlineData("""<meta property="og:release_date" content="2026-11-20">""", "2026-11-20")]
    [InlineData("""<meta name="DC.Date.Issued" content="2026-11-20">""", "2026-11-20")]
    [InlineData("""<meta name="dc.date" content="2026-11-20">""", "2026-11-20")]
    [InlineData("""<meta itemprop="datePublished" content="2026-11-20">""", "2026-11-20")]
    [InlineData("""<meta name="publishtime" content="2026年11月20日 10:30">""", "2026-11-20")]
    [InlineData("""<meta name="publishdate" content="1795141800">""", "2026-11-20")]
    public void OfArticle_ReadsTheMetaTag_WhenTheHeadHasOne(string meta, string expected)
    {
        var document = Document(meta, "<p>正文</p>");

        Assert.Equal(Day(expected), PublishDates.OfArticle(document, AsOf, Rules));
    }

    [Fact]
    public void OfArticle_PrefersPubDate_WhenSeveralMetaTagsDisagree()
    {
        var document = Document(
            """<meta name="lastmodifiedtime" content="2026-11-22"><meta name="date" content="2026-11-19"><meta name="PubDate" content="2026-11-20">""",
            "<p>正文</p>");

        Assert.Equal(new DateOnly(2026, 11, 20), PublishDates.OfArticle(document, AsOf, Rules));
    }

    [Fact]
    public void OfArticle_SkipsAnImplausibleMetaTag_ForTheNextOne()
    {
        var document = Document(
            """<meta name="PubDate" content="2099-01-01"><meta name="publishdate" content="2026-11-20">""",
            "<p>正文</p>");

        Assert.Equal(new DateOnly(2026, 11, 20), PublishDates.OfArticle(document, AsOf, Rules));
    }

    [Theory]
    [InlineData("<div class=\"info\">来源：县政府办 发布时间：2026-11-20 浏览次数：35</div>", "2026-11-20")]
    [InlineData("<div><span>发布日期：</span><span>2026年11月20日</span></div>", "2026-11-20")]
    [InlineData("<div>发布于 2026-11-20 10:30</div>", "2026-11-20")]
    [InlineData("<div>成文日期：2026-11-10 发布日期：2026-11-20</div>", "2026-11-20")]
    [InlineData("<div>日期：2026-11-20</div>", "2026-11-20")]
    [InlineData("<div>时间：２０２６－１１－２０</div>", "2026-11-20")]
    [InlineData("<table><tr><td>发布时间：2026-11-20</td><td>123</td></tr></table>", "2026-11-20")]
    public void OfArticle_ReadsTheLabelInTheBody_WhenThereIsNoMetaTag(string body, string expected)
    {
        var document = Document("", body);

        Assert.Equal(Day(expected), PublishDates.OfArticle(document, AsOf, Rules));
    }

    [Fact]
    public void OfArticle_PrefersTheMetaTag_WhenTheBodyHasALabelToo()
    {
        var document = Document("""<meta name="PubDate" content="2026-11-19">""", "<div>发布时间：2026-11-20</div>");

        Assert.Equal(new DateOnly(2026, 11, 19), PublishDates.OfArticle(document, AsOf, Rules));
    }

    [Theory]
    [InlineData("", "<p>县政府召开常务会议。</p>")]
    [InlineData("""<meta name="keywords" content="2026-11-20">""", "<p>正文</p>")]
    [InlineData("""<meta name="lastmodifiedtime" content="2026-11-20">""", "<p>正文</p>")]
    [InlineData("", "<div>发布时间： 来源：县政府办</div><p>Copyright 2026</p>")]
    [InlineData("", "<div>成文日期：2026-11-10 截止时间：2026-11-20</div>")]
    [InlineData("", "<script>var pubdate = '发布时间：2026-11-20';</script>")]
    public void OfArticle_ReturnsNull_WhenThePageStatesNoPublicationDate(string head, string body)
    {
        Assert.Null(PublishDates.OfArticle(Document(head, body), AsOf, Rules));
    }

    [Fact]
    public void InItem_ParsesTenThousandItems_WithoutException()
    {
        var random = new Random(20261123);
        string[] shapes =
        [
            "关于{0}的通知 2026-{1:00}-{2:00}", "{0}[{1:00}-{2:00}]", "{0} 2026年{1}月{2}日", "{0} {1}天前",
            "{0} 电话：0731-8{1:000}{2:0000}", "{0} art_{1}_{2}.html", "{0} 2026/{1}/{2} 10:{2:00}", "{0}",
            "{0} ２０２６－{1:00}－{2:00}", "© 2006-2026 {0} 湘ICP备{1}{2}号",
        ];
        var found = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var title = new string((char)('\u4E00' + random.Next(0, 2000)), random.Next(1, 30));
            var text = string.Format(CultureInfo.InvariantCulture, shapes[i % shapes.Length], title, random.Next(0, 40), random.Next(0, 40));
            found += PublishDates.InItem(text, AsOf, Rules, i % 7 == 0 ? 2026 : null) is null ? 0 : 1;
        }

        Assert.InRange(found, 1, 10_000);
    }

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static AngleSharp.Dom.IDocument Document(string head, string body) =>
        new HtmlParser().ParseDocument($"<html><head>{head}</head><body>{body}</body></html>");
}
