using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.Spend;

/// <summary>
/// Brings scopes' blocks in line with their spend and limits for the current UTC month: appends
/// spend_limit.reached when spend reached the limit, spend_limit.cleared when it no longer does. The
/// events go through the log, so the outbox publishes them (durably, at least once). Appends carry the
/// version the decision was based on: when several consumers or instances decide at once, one wins and
/// the others re-read and find nothing left to do, so each change is published once.
/// </summary>
public sealed class SpendLimitEvaluator(SpendLimitReadModel limits, EventStore eventStore, TimeProvider time, ILogger<SpendLimitEvaluator> logger)
{
    private const int MaxAttempts = 5;
    private static readonly EventMetadata Metadata = new("system:spend_limits");

    /// <summary>Returns how many block changes were appended.</summary>
    public async Task<int> EvaluateAsync(IReadOnlyList<(Guid OrganizationId, SpendScope Scope)> scopes, CancellationToken cancellationToken)
    {
        var changes = 0;
        var month = SpendScope.MonthStart(time.GetUtcNow().UtcDateTime);
        for (var attempt = 1; scopes.Count > 0 && attempt <= MaxAttempts; attempt++)
        {
            var contended = new List<(Guid, SpendScope)>();
            foreach (var state in await limits.StatesAsync(scopes, month, cancellationToken))
            {
                if (state.Decide(month) is not { } change) continue;
                try
                {
                    await eventStore.AppendAsync(
                        new StreamAppend(SpendLimitStream.IdOf(state.Scope), SpendLimitStream.StreamType, state.Version, change), Metadata, cancellationToken);
                    changes++;
                    logger.LogInformation("Spend limit {Change} for {Scope} {ScopeId}: spend {Spend} USD, limit {Limit} USD",
                        change.GetType().Name, state.Scope.Scope, state.Scope.ScopeId, state.SpendUsd, state.LimitUsd);
                }
                catch (ConcurrencyException)
                {
                    contended.Add((state.OrganizationId, state.Scope));
                }
            }
            scopes = contended;
        }
        return changes;
    }

    public Task<int> EvaluateAsync(Guid organizationId, IEnumerable<SpendScope> scopes, CancellationToken cancellationToken) =>
        EvaluateAsync(scopes.Select(s => (organizationId, s)).ToArray(), cancellationToken);
}
