using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Requesty.Management.Infrastructure.Database;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.Projections;
using Requesty.ServiceDefaults;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Infrastructure;

/// <summary>
/// The event store wired by hand against a private database on the real test server (schema migrated first):
/// its tests rebuild the whole log, which must not delete and re-insert other classes' rows under them.
/// </summary>
public sealed class EventStoreFixture : IAsyncLifetime
{
    private PrivateDatabase _database = null!;

    public NpgsqlDataSource Database => _database.DataSource;
    public EventStore Store { get; private set; } = null!;
    public ProjectionRebuilder Rebuilder { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await PrivateDatabase.CreateAsync("es");
        await new PostgresSchemaMigrator(Database, NullLogger<PostgresSchemaMigrator>.Instance)
            .MigrateAsync(ManagementSchema.Definition, CancellationToken.None);
        IProjection[] projections = [new OrganizationProjection(), new ApiKeyProjection()];
        Store = new EventStore(Database, projections, new OutboxSignal(), TimeProvider.System);
        Rebuilder = new ProjectionRebuilder(Database, projections, NullLogger<ProjectionRebuilder>.Instance);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
