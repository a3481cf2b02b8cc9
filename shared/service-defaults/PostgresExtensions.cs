using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Requesty.ServiceDefaults;

public static class PostgresExtensions
{
    /// <summary>
    /// Registers one pooled NpgsqlDataSource from ConnectionStrings:Postgres, its readiness check and
    /// the <see cref="PostgresSchemaMigrator"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPostgres(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured (env ConnectionStrings__Postgres).");
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.TryAddSingleton<PostgresSchemaMigrator>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Migrates <paramref name="schema"/> when the host starts. Call it before AddRabbitMqBus: hosted
    /// services start in registration order, so the tables exist before the first message is consumed.
    /// </summary>
    public static IHostApplicationBuilder AddPostgresSchemaMigration(this IHostApplicationBuilder builder, PostgresSchema schema)
    {
        builder.Services.AddHostedService(services => new SchemaMigrationService(services.GetRequiredService<PostgresSchemaMigrator>(), schema));
        return builder;
    }
}
