using FluentValidation;
using Requesty.Management.Infrastructure.Projections;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.Byok;

public static class ByokServiceExtensions
{
    /// <summary>Own provider keys (BYOK): cipher, commands, the byok_keys projection and its queries.</summary>
    public static IServiceCollection AddByok(this IServiceCollection services)
    {
        services.AddSingleton<ByokCipher>();
        services.AddSingleton<ByokCommands>();
        services.AddSingleton<ByokKeyReadModel>();
        services.AddSingleton<IProjection, ByokKeyProjection>();
        services.AddSingleton<IValidator<PutByokKeyRequest>, PutByokKeyRequestValidator>();
        return services;
    }
}
