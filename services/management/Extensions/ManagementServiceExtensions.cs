using FluentValidation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Requesty.Management.Apis.Http;
using Requesty.Management.Apis.Security;
using Requesty.Management.Application.ApiKeys;
using Requesty.Management.Application.Bootstrap;
using Requesty.Management.Application.Spend;
using Requesty.Management.Application.Startup;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.Outbox;
using Requesty.Management.Infrastructure.Projections;
using Requesty.Management.Infrastructure.ReadModels;
using Requesty.ServiceDefaults;

namespace Requesty.Management.Extensions;

public static class ManagementServiceExtensions
{
    public static IHostApplicationBuilder AddManagementServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddPostgres();

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        // Malformed JSON must reach ManagementExceptionHandler (field-level 400) instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ManagementExceptionHandler>();

        services.Configure<BootstrapOptions>(builder.Configuration.GetSection("Bootstrap"));
        services.Configure<OutboxOptions>(builder.Configuration.GetSection("Outbox"));
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<StartupGate>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IProjection, OrganizationProjection>();
        services.AddSingleton<IProjection, ApiKeyProjection>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<ProjectionRebuilder>();
        services.AddSingleton<ApiKeyReadModel>();
        services.AddSingleton<OrganizationReadModel>();
        services.AddSingleton<SpendLedger>();
        services.AddSingleton<AdminBootstrapper>();
        services.AddSingleton<ApiKeyCommands>();
        Application.Policies.PolicyServiceExtensions.AddPolicies(services);
        Application.Users.IdentityServiceExtensions.AddIdentity(services);
        services.AddSpendLimits(builder.Configuration);
        Application.Byok.ByokServiceExtensions.AddByok(services);
        Application.Audit.AuditServiceExtensions.AddAuditAndTimeTravel(services);
        Application.Usage.UsageServiceExtensions.AddKeyUsage(services, builder.Configuration);
        services.AddSingleton<ManagementAuthFilter>();

        services.AddSingleton<IValidator<CreateApiKeyRequest>, CreateApiKeyRequestValidator>();
        services.AddSingleton<IValidator<UpdateApiKeyLimitRequest>, UpdateApiKeyLimitRequestValidator>();
        services.AddSingleton<IValidator<UpdateApiKeyLabelsRequest>, UpdateApiKeyLabelsRequestValidator>();
        services.AddSingleton<IValidator<UpdateApiKeyExpiryRequest>, UpdateApiKeyExpiryRequestValidator>();

        // Registered before the bus: hosted services start in order, so the schema exists before the first message.
        services.AddHostedService<DatabaseStartup>();

        builder.AddRabbitMqConsumer<RequestCompletedConsumer>(RequestCompletedConsumer.QueueName, 100, 500, 2_000);

        services.AddHostedService<OutboxPublisher>();
        return builder;
    }
}
