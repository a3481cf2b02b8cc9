using FluentValidation;
using Requesty.Management.Application.Users;

namespace Requesty.Management.Application.Groups;

public sealed class CreateGroupRequestValidator : AbstractValidator<CreateGroupRequest>
{
    public CreateGroupRequestValidator()
    {
        IdentityRules.Name(RuleFor(r => r.Name));
        IdentityRules.Description(RuleFor(r => r.Description));
        IdentityRules.Money(RuleFor(r => r.MonthlyBudget), "monthly_budget");
        IdentityRules.Money(RuleFor(r => r.MemberMonthlyLimit), "member_monthly_limit");
    }
}

public sealed class UpdateGroupRequestValidator : AbstractValidator<UpdateGroupRequest>
{
    public UpdateGroupRequestValidator()
    {
        When(r => r.Name is not null, () => IdentityRules.Name(RuleFor(r => r.Name)));
        IdentityRules.Description(RuleFor(r => r.Description));
        IdentityRules.Money(RuleFor(r => r.MonthlyBudget), "monthly_budget");
        IdentityRules.Money(RuleFor(r => r.MemberMonthlyLimit), "member_monthly_limit");
    }
}

public sealed class AddGroupMemberRequestValidator : AbstractValidator<AddGroupMemberRequest>
{
    public AddGroupMemberRequestValidator()
    {
        RuleFor(r => r.UserId).NotEmpty().WithMessage("user_id is required.");
        IdentityRules.Role(RuleFor(r => r.Role), "role");
    }
}

public sealed class UpdateGroupMemberRequestValidator : AbstractValidator<UpdateGroupMemberRequest>
{
    public UpdateGroupMemberRequestValidator()
    {
        RuleFor(r => r.Role).NotEmpty().WithMessage("role is required (\"admin\" or \"member\").");
        IdentityRules.Role(RuleFor(r => r.Role), "role");
    }
}
