# One image recipe for every service; build context = repository root. For example:
#   docker build --build-arg PROJECT_DIR=services/router --build-arg ASSEMBLY=Requesty.Router -t requesty/router .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT_DIR
ARG ASSEMBLY
WORKDIR /src
# Restore first, from the project files only, so the package layer is cached across code changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY shared/contracts/Requesty.Contracts.csproj shared/contracts/
COPY shared/service-defaults/Requesty.ServiceDefaults.csproj shared/service-defaults/
COPY ${PROJECT_DIR}/${ASSEMBLY}.csproj ${PROJECT_DIR}/
RUN dotnet restore ${PROJECT_DIR}/${ASSEMBLY}.csproj
COPY shared/ shared/
COPY ${PROJECT_DIR}/ ${PROJECT_DIR}/
RUN dotnet publish ${PROJECT_DIR}/${ASSEMBLY}.csproj -c Release --no-restore -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG ASSEMBLY
ENV SERVICE_ASSEMBLY=${ASSEMBLY}.dll
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_ASSEMBLY\""]
