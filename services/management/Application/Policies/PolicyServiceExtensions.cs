using FluentValidation;

namespace Requesty.Management.Application.Policies;

public static class PolicyServiceExtensions
{
    public static IServiceCollection AddPolicies(this IServiceCollection services)
    {
        services.AddSingleton<PolicyReadModel>();
        services.AddSingleton<PolicyCommands>();
        services.AddSingleton<IValidator<PolicyRequest>, PolicyRequestValidator>();
        return services;
    }
}
