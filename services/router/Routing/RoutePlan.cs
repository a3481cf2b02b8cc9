namespace Requesty.Router.Routing;

/// <summary>One model to try, with its retries and where it came from ("policy/a > policy/b").</summary>
public sealed record RouteCandidate(string Model, int Retries, string KeySource, string Via);

/// <summary>The models a policy request will try, in order (the first is the chosen one), and why in that order.</summary>
public sealed record RoutePlan(string PolicyName, IReadOnlyList<RouteCandidate> Candidates, IReadOnlyList<string> Notes);
