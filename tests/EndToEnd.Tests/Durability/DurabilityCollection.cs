namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>
/// The durability tests stop and start a RabbitMQ and kill routers: they share one set of private
/// servers and never run in parallel with each other or with other collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DurabilityCollection : ICollectionFixture<DurabilityFixture>
{
    public const string Name = "Durability";
}
