using Requesty.Management.Apis.Groups;
using Requesty.Management.Apis.Projects;
using Requesty.Management.Apis.ServiceAccounts;

namespace Requesty.Management.Apis.Users;

public static class IdentityApis
{
    /// <summary>/v1/manage/user, /group, /service-account and /project.</summary>
    public static RouteGroupBuilder MapIdentityApis(this RouteGroupBuilder manage)
    {
        manage.MapUsersApi();
        manage.MapGroupsApi();
        manage.MapServiceAccountsApi();
        manage.MapProjectsApi();
        return manage;
    }
}
