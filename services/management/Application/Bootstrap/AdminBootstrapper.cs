using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;
using Requesty.Management.Application.Users;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Domain.Organizations;
using Requesty.Management.Domain.Users;
using Requesty.Management.Infrastructure.Database;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.Bootstrap;

/// <summary>
/// Makes sure the configured admin key exists: if no key has its SHA-256 yet, creates an
/// organisation, an admin user (Bootstrap:AdminEmail) with their private project and the admin key
/// (chat, manage_read, manage_write) that belongs to that user, in one append. Idempotent across
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
            var userId = Guid.NewGuid();
            var projectId = Guid.NewGuid();
            var organizationName = string.IsNullOrWhiteSpace(options.Value.OrganizationName) ? "Demo" : options.Value.OrganizationName;
            var adminEmail = string.IsNullOrWhiteSpace(options.Value.AdminEmail) ? DefaultAdminEmail(organizationName) : options.Value.AdminEmail.Trim();
            // Organisation, admin user, their private project and the admin key: one append, all or nothing.
            await UserCommands.AppendNewUserAsync(eventStore,
            [
                new StreamAppend(organizationId, Organization.StreamType, 0, Organization.Create(organizationId, organizationName)),
                new StreamAppend(apiKeyId, ApiKey.StreamType, 0, new ApiKeyCreated(
                    apiKeyId, organizationId, "admin", keyHash, ApiKeySecret.DisplayPrefix(adminKey),
                    ApiKeyPermissions.All, MonthlyLimit: null, Labels: new Dictionary<string, string>(), ExpiresAt: null,
                    ProjectId: projectId, ServiceAccountId: null, UserId: userId, CreatedBy: null, Role: UserRoles.Admin, GroupIds: [])),
            ], organizationId, userId, projectId, adminEmail, UserRoles.Admin, monthlyLimit: null,
                new EventMetadata("system:bootstrap"), cancellationToken);
            logger.LogInformation("Bootstrapped organisation {OrganizationId} ({Name}) with admin key {ApiKeyId}",
                organizationId, organizationName, apiKeyId);
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({AdvisoryLocks.Bootstrap})", CancellationToken.None);
        }
    }

    /// <summary>"admin@&lt;slug&gt;.local": the organisation name in lower case, runs of other characters as one '-'.</summary>
    public static string DefaultAdminEmail(string organizationName)
    {
        var slug = Regex.Replace(organizationName.Trim().ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        return $"admin@{(slug.Length == 0 ? "organization" : slug)}.local";
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
