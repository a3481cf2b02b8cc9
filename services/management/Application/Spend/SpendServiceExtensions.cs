using Requesty.Management.Infrastructure.Projections;

namespace Requesty.Management.Application.Spend;

public static class SpendServiceExtensions
{
    /// <summary>Spend limits: block projection, evaluator and the reconciler (the ledger and its consumer are registered by the host).</summary>
    public static IServiceCollection AddSpendLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SpendOptions>(configuration.GetSection("Spend"));
        services.AddSingleton<IProjection, SpendBlockProjection>();
        services.AddSingleton<SpendLimitReadModel>();
        services.AddSingleton<SpendLimitEvaluator>();
        services.AddSingleton<SpendLimitReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<SpendLimitReconciler>());
        services.AddSingleton<Organizations.OrganizationCommands>();
        return services;
    }
}
