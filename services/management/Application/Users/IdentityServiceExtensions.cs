using FluentValidation;
using Requesty.Management.Application.ApiKeys;
using Requesty.Management.Application.Groups;
using Requesty.Management.Application.Projects;
using Requesty.Management.Application.ServiceAccounts;
using Requesty.Management.Infrastructure.Projections;

namespace Requesty.Management.Application.Users;

public static class IdentityServiceExtensions
{
    /// <summary>Users, groups (+ members), service accounts and projects: projections, read models, commands, validators.</summary>
    public static IServiceCollection AddIdentity(this IServiceCollection services)
    {
        services.AddSingleton<IProjection, UserProjection>();
        services.AddSingleton<IProjection, ProjectProjection>();
        services.AddSingleton<IProjection, GroupProjection>();
        services.AddSingleton<IProjection, ServiceAccountProjection>();

        services.AddSingleton<UserReadModel>();
        services.AddSingleton<GroupReadModel>();
        services.AddSingleton<ServiceAccountReadModel>();
        services.AddSingleton<ProjectReadModel>();
        services.AddSingleton<ApiKeyAccess>();
        services.AddSingleton<TimeTravel.IdentityTimeTravel>();

        services.AddSingleton<UserCommands>();
        services.AddSingleton<GroupCommands>();
        services.AddSingleton<ServiceAccountCommands>();
        services.AddSingleton<ProjectCommands>();

        services.AddSingleton<IValidator<CreateUserRequest>, CreateUserRequestValidator>();
        services.AddSingleton<IValidator<UpdateUserRequest>, UpdateUserRequestValidator>();
        services.AddSingleton<IValidator<CreateGroupRequest>, CreateGroupRequestValidator>();
        services.AddSingleton<IValidator<UpdateGroupRequest>, UpdateGroupRequestValidator>();
        services.AddSingleton<IValidator<AddGroupMemberRequest>, AddGroupMemberRequestValidator>();
        services.AddSingleton<IValidator<UpdateGroupMemberRequest>, UpdateGroupMemberRequestValidator>();
        services.AddSingleton<IValidator<CreateServiceAccountRequest>, CreateServiceAccountRequestValidator>();
        services.AddSingleton<IValidator<CreateProjectRequest>, CreateProjectRequestValidator>();
        services.AddSingleton<IValidator<UpdateProjectRequest>, UpdateProjectRequestValidator>();
        return services;
    }
}
