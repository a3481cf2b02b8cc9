using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Requesty.Management.Infrastructure.Database;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.Projections;
using Requesty.ServiceDefaults;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Infrastructure;

/// <summary>The event store wired by hand against the real test database (schema migrated first).</summary>
public sealed class EventStoreFixture : IAsyncLifetime
{
    public NpgsqlDataSource Database { get; } = NpgsqlDataSource.Create(TestServers.Postgres);
    public EventStore Store { get; private set; } = null!;
    public ProjectionRebuilder Rebuilder { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await new PostgresSchemaMigrator(Database, NullLogger<PostgresSchemaMigrator>.Instance)
            .MigrateAsync(ManagementSchema.Definition, CancellationToken.None);
        IProjection[] projections = [new OrganizationProjection(), new ApiKeyProjection()];
        Store = new EventStore(Database, projections, new OutboxSignal(), TimeProvider.System);
        Rebuilder = new ProjectionRebuilder(Database, projections, NullLogger<ProjectionRebuilder>.Instance);
    }

    public Task DisposeAsync() => Database.DisposeAsync().AsTask();
}
