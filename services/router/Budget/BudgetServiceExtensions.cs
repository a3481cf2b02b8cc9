namespace Requesty.Router.Budget;

public static class BudgetServiceExtensions
{
    /// <summary>Spend limits: block set loaded from management, kept fresh by spend-limit events, and the gate over it.</summary>
    public static IServiceCollection AddBudget(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<SpendBlockSet>();
        services.AddSingleton<BudgetGate>();
        services.AddHttpClient<ManagementSpendBlocksClient>(http => ManagementSpendBlocksClient.Configure(http, configuration));
        services.AddHostedService<SpendBlockSyncService>();
        return services;
    }
}
