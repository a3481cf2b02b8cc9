using Requesty.Management.Application.TimeTravel;
using Requesty.Management.Infrastructure.Projections;

namespace Requesty.Management.Application.Audit;

public static class AuditServiceExtensions
{
    /// <summary>The audit log (with its stream-owner projection) and time travel over the event log.</summary>
    public static IServiceCollection AddAuditAndTimeTravel(this IServiceCollection services)
    {
        services.AddSingleton<IProjection, StreamOwnerProjection>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<StreamTimeTravel>();
        return services;
    }
}
