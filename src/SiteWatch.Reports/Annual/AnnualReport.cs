using System.Globalization;
using SiteWatch.Reports.Workbooks;

namespace SiteWatch.Reports.Annual;

/// <summary>What <see cref="AnnualReport.Write"/> produced.</summary>
public sealed record AnnualResult(string Path, AnnualFigures Figures)
{
    /// <summary>One line for the CLI: rounds, inspections, unqualified, problems and the rectification rate.</summary>
    public string Summary
    {
        get
        {
            var input = Figures.Input;
            if (input.Rounds.Count == 0)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"year {input.Year}: {AnnualWorkbook.NoRounds} (no rounds with an as-of in {input.Year}); the workbook holds the registry at year end only");
            }

            var y = Figures.Year;
            var rate = Figures.Total.Rate is { } r ? string.Create(CultureInfo.InvariantCulture, $"{100 * r:0.0}%") : AnnualWorkbook.Dash;
            return string.Create(CultureInfo.InvariantCulture,
                $"year {input.Year}: {Count(input.Rounds.Count, "round")} ({y.WebsiteRounds} website, {y.AccountRounds} account), "
                + $"{Count(y.WebsitesInspected, "website inspection")} ({y.WebsitesFailed} unqualified), {Count(y.AccountsInspected, "account inspection")} ({y.AccountsFailed} unqualified), "
                + $"{Count(Figures.Total.Found, "problem")}, {Figures.Total.Verified} verified fixed, 整改率 {rate}");
        }
    }

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");
}

/// <summary>Writes the annual tables of a year as <c>OUT/年度报表-YYYY.xlsx</c>.</summary>
public static class AnnualReport
{
    public static string FileName(int year) => string.Create(CultureInfo.InvariantCulture, $"年度报表-{year:D4}.xlsx");

    public static AnnualResult Write(AnnualInput input, string outDirectory)
    {
        Directory.CreateDirectory(outDirectory);
        var figures = AnnualFigures.Compute(input);
        var path = System.IO.Path.Combine(outDirectory, FileName(input.Year));
        AnnualWorkbook.Write(figures, path);
        return new AnnualResult(path, figures);
    }
}
