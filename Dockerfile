# syntax=docker/dockerfile:1
# The bridge (default target) and the Poe simulator (target "simulator", for the compose demo profile).
# The build steps are the README's: `dotnet restore` then `dotnet publish <project> -c Release -o <dir>`.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so the package layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig appsettings.json ./
COPY src/Poe.WebhookBridge/Poe.WebhookBridge.csproj src/Poe.WebhookBridge/
COPY src/Poe.Simulator/Poe.Simulator.csproj src/Poe.Simulator/
RUN dotnet restore src/Poe.WebhookBridge && dotnet restore src/Poe.Simulator
COPY src/ src/
RUN dotnet publish src/Poe.WebhookBridge -c Release -o /out/bridge --no-restore \
 && dotnet publish src/Poe.Simulator -c Release -o /out/simulator --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_NOLOGO=1
EXPOSE 8080
WORKDIR /app
# The non-root user the .NET images ship (uid 1654).
USER $APP_UID

FROM runtime AS simulator
COPY --from=build /out/simulator ./
ENTRYPOINT ["dotnet", "Poe.Simulator.dll"]

FROM runtime AS bridge
COPY --from=build /out/bridge ./
# The image has no curl or wget; bash's /dev/tcp asks /health/live (200 once the process serves requests).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Poe.WebhookBridge.dll"]
