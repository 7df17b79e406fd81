# SiteWatch: build with the SDK, run on the ASP.NET runtime (the demo and `serve` host Kestrel).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt SiteWatch.sln ./
COPY src/ src/
# ReadyToRun with tiered compilation off: precompiled code, not JIT-compiled twice into private memory (the bench
# farm's peak drops from ~150 to ~133 MB; README, Benchmark).
RUN dotnet publish src/SiteWatch.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -p:TieredCompilation=false -o /app

# The country database of overseas-host (Geo:CountryDatabase), fetched like tests/setup.sh does (same pinned version).
FROM node:22-slim AS geo
ARG GEO_PACKAGE=@ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719
WORKDIR /geo
RUN npm pack --silent "$GEO_PACKAGE" && tar xzf ./*.tgz && mkdir out \
    && cp package/geo-whois-asn-country.mmdb package/README.md package/NRO_LICENSE package/package.json out/

# The ASP.NET runtime, taken from Microsoft's image. Its .NET 10 images are Ubuntu only, where `chromium` is a snap
# stub that cannot run in a container; Debian packages a real Chromium, so the runtime stage is Debian.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS aspnet

FROM debian:bookworm-slim
# .NET's native needs, and the headless browser of the page renderer (Browser:ExecutablePath) with CJK fonts so Chinese
# pages lay out as for a visitor. Recommended packages (printing, desktop notifications, Mesa) are of no use headless.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       ca-certificates libicu72 libssl3 tzdata chromium fonts-noto-cjk fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
COPY --from=aspnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_RUNNING_IN_CONTAINER=true \
    ASPNETCORE_HTTP_PORTS=8080 \
    Browser__ExecutablePath=/usr/bin/chromium
WORKDIR /srv/sitewatch
COPY --from=build /app /app
# Outside the data volume, so that mounting data/ does not hide it.
COPY --from=geo /geo/out/ /usr/share/sitewatch/geo/
ENV Geo__CountryDatabase=/usr/share/sitewatch/geo/geo-whois-asn-country.mmdb
COPY appsettings.json ./
COPY crawler-rules/ crawler-rules/
COPY seeds/ seeds/
VOLUME ["/srv/sitewatch/data", "/srv/sitewatch/reports"]
ENTRYPOINT ["dotnet", "/app/sitewatch.dll"]
CMD ["demo"]
