namespace Requesty.Management.Domain;

/// <summary>A command contradicts the aggregate's current state (answered as 409).</summary>
public sealed class DomainConflictException(string message) : Exception(message);
