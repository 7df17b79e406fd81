# SiteWatch: build with the SDK, run on the ASP.NET runtime (the demo and `serve` host Kestrel).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt SiteWatch.sln ./
COPY src/ src/
RUN dotnet publish src/SiteWatch.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /srv/sitewatch
COPY --from=build /app /app
COPY appsettings.json ./
COPY crawler-rules/ crawler-rules/
COPY seeds/ seeds/
VOLUME ["/srv/sitewatch/data", "/srv/sitewatch/reports"]
ENTRYPOINT ["dotnet", "/app/sitewatch.dll"]
CMD ["demo"]
