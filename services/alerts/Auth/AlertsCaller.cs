namespace Requesty.Alerts.Auth;

/// <summary>
/// Who is calling the alerts API. <see cref="OrganizationId"/> is the key's organization for an API
/// key; for the internal token it is the ?org_id= of the call (null when absent or not a UUID: the
/// endpoint then answers a field error, or takes org_id from the body).
/// </summary>
public sealed record AlertsCaller(Guid? OrganizationId, bool IsApiKey, string Actor)
{
    private const string ItemKey = nameof(AlertsCaller);

    public static AlertsCaller From(HttpContext context) =>
        context.Items[ItemKey] as AlertsCaller ?? throw new InvalidOperationException("The alerts access filter did not run.");

    internal void AttachTo(HttpContext context) => context.Items[ItemKey] = this;
}
