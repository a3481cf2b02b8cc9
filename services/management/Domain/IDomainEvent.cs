namespace Requesty.Management.Domain;

/// <summary>Marker for facts stored in the event log. Stored as JSON; renaming a property breaks replay.</summary>
public interface IDomainEvent;
