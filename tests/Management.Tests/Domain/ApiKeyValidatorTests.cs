using Requesty.Management.Application.ApiKeys;

namespace Requesty.Management.Tests.Domain;

public sealed class ApiKeyValidatorTests
{
    private readonly CreateApiKeyRequestValidator _create = new(TimeProvider.System);

    [Fact]
    public void A_minimal_request_is_valid()
    {
        Assert.True(_create.Validate(new CreateApiKeyRequest("ok", null, null, null, null, null, null, null)).IsValid);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1000000000)]
    [InlineData(0.0000001)]
    public void Monthly_limits_must_be_non_negative_bounded_and_at_most_six_decimals(double value)
    {
        var result = new UpdateApiKeyLimitRequestValidator().Validate(new UpdateApiKeyLimitRequest((decimal)value));
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(UpdateApiKeyLimitRequest.MonthlyLimit));
    }

    [Fact]
    public void Unknown_permissions_long_names_and_bad_labels_are_rejected()
    {
        var result = _create.Validate(new CreateApiKeyRequest(
            new string('n', 101), null, ["chat", "admin"], null, null, null,
            new Dictionary<string, string> { [""] = "x" }, DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.Equal(
            ["ExpiresAt", "Labels", "Name", "Permissions"],
            result.Errors.Select(e => e.PropertyName).Distinct().Order());
    }
}
