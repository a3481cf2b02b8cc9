using Microsoft.Extensions.Options;
using Npgsql;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Domain.Organizations;
using Requesty.Management.Infrastructure.Database;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.Bootstrap;

/// <summary>
/// Makes sure the configured admin key exists: if no key has its SHA-256 yet, creates an
/// organisation and an admin key (chat, manage_read, manage_write) in one append. Idempotent across
/// restarts; a session advisory lock makes two instances starting together create it only once.
/// </summary>
public sealed class AdminBootstrapper(
    IOptions<BootstrapOptions> options,
    NpgsqlDataSource dataSource,
    ApiKeyReadModel apiKeys,
    EventStore eventStore,
    ILogger<AdminBootstrapper> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var adminKey = options.Value.AdminKey;
        if (string.IsNullOrWhiteSpace(adminKey))
        {
            logger.LogInformation("Bootstrap:AdminKey is not set; skipping admin bootstrap");
            return;
        }

        var keyHash = ApiKeySecret.Hash(adminKey);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_lock({AdvisoryLocks.Bootstrap})", cancellationToken);
        try
        {
            if (await apiKeys.FindByHashAsync(keyHash, cancellationToken) is not null)
            {
                logger.LogInformation("Admin key already bootstrapped");
                return;
            }

            var organizationId = Guid.NewGuid();
            var apiKeyId = Guid.NewGuid();
            var organizationName = string.IsNullOrWhiteSpace(options.Value.OrganizationName) ? "Demo" : options.Value.OrganizationName;
            await eventStore.AppendAsync(
            [
                new StreamAppend(organizationId, Organization.StreamType, 0, Organization.Create(organizationId, organizationName)),
                new StreamAppend(apiKeyId, ApiKey.StreamType, 0, new ApiKeyCreated(
                    apiKeyId, organizationId, "admin", keyHash, ApiKeySecret.DisplayPrefix(adminKey),
                    ApiKeyPermissions.All, MonthlyLimit: null, Labels: new Dictionary<string, string>(), ExpiresAt: null,
                    ProjectId: null, ServiceAccountId: null, UserId: null, CreatedBy: null)),
            ], new EventMetadata("system:bootstrap"), cancellationToken);
            logger.LogInformation("Bootstrapped organisation {OrganizationId} ({Name}) with admin key {ApiKeyId}",
                organizationId, organizationName, apiKeyId);
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({AdvisoryLocks.Bootstrap})", CancellationToken.None);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
