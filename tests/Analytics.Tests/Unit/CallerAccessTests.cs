using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Contracts.Keys;

namespace Requesty.Analytics.Tests.Unit;

/// <summary>Which rows a caller may read, and that the restriction reaches the SQL of a scope.</summary>
public class CallerAccessTests
{
    private static ApiKeyContext Key(string role, Guid? user) => new()
    {
        KeyHash = "ab", ApiKeyId = Guid.Parse("11111111-1111-1111-1111-111111111111"), OrganizationId = Guid.NewGuid(),
        UserId = user, Role = role, Permissions = ["manage_read"],
    };

    [Fact]
    public void Admins_and_services_read_the_whole_organisation()
    {
        Assert.Null(AnalyticsCaller.FromKey(Key(ApiKeyRoles.Admin, Guid.NewGuid())).Access.Condition);
        Assert.Null(AnalyticsCaller.Service.Access.Condition);
    }

    [Fact]
    public void Members_read_their_user_rows_or_else_their_key_rows()
    {
        var user = Guid.Parse("22222222-2222-2222-2222-222222222222");
        Assert.Equal("user_id = toUUID('22222222-2222-2222-2222-222222222222')", AnalyticsCaller.FromKey(Key(ApiKeyRoles.Member, user)).Access.Condition);
        Assert.Equal("api_key_id = toUUID('11111111-1111-1111-1111-111111111111')", AnalyticsCaller.FromKey(Key(ApiKeyRoles.Member, null)).Access.Condition);
        Assert.Equal("user_id = toUUID('22222222-2222-2222-2222-222222222222')", AnalyticsCaller.FromKey(Key("unknown-role", user)).Access.Condition);
    }

    [Fact]
    public void The_restriction_is_part_of_every_scope_where_clause()
    {
        var user = Guid.NewGuid();
        var scope = new RequestScope(Guid.NewGuid(), new DateTime(2025, 1, 1), new DateTime(2025, 1, 2), []) { Access = RowAccess.OfUser(user) };
        Assert.EndsWith($"AND user_id = toUUID('{user}')", scope.WhereClause());
        Assert.EndsWith($"AND user_id = toUUID('{user}')", (scope with { Conditions = ["api_key_id = toUUID('00000000-0000-0000-0000-000000000001')"] }).WhereClause());
    }

    [Fact]
    public void Key_callers_default_to_their_organisation_and_services_must_name_one()
    {
        var key = Key(ApiKeyRoles.Member, Guid.NewGuid());
        var errors = new ValidationErrors();
        Assert.Equal(key.OrganizationId, AnalyticsCaller.FromKey(key).ResolveOrganization(null, errors));
        Assert.False(errors.Any);
        AnalyticsCaller.Service.ResolveOrganization(null, errors);
        Assert.True(errors.Has("org_id"));
        Assert.False(AnalyticsCaller.FromKey(key).MayRead(Guid.NewGuid()));
        Assert.True(AnalyticsCaller.Service.MayRead(Guid.NewGuid()));
    }
}
