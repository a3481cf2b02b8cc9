namespace Requesty.Management.Application;

/// <summary>The resource does not exist for the caller's organisation (answered as 404; other organisations' ids look the same).</summary>
public sealed class ResourceNotFoundException(string resource, Guid id) : Exception($"{resource} {id} was not found.")
{
    public string Resource { get; } = resource;
    public Guid Id { get; } = id;
}
