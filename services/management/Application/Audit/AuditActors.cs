namespace Requesty.Management.Application.Audit;

/// <summary>How <see cref="Infrastructure.EventSourcing.EventMetadata.Actor"/> names who made a change.</summary>
public static class AuditActors
{
    /// <summary>A change made through the management API with an API key: "api_key:&lt;id&gt;".</summary>
    public const string ApiKeyPrefix = "api_key:";
}
