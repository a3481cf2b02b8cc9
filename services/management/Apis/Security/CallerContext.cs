using Requesty.Management.Application;

namespace Requesty.Management.Apis.Security;

public static class CallerContext
{
    private const string ItemKey = "requesty.management.caller";

    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[ItemKey] = caller;

    /// <summary>The caller authenticated by <see cref="ManagementAuthFilter"/> (only valid on /v1/manage routes).</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Items[ItemKey] as Caller ?? throw new InvalidOperationException("No authenticated caller on this route.");
}
