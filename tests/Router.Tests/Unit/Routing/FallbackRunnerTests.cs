using Requesty.Router.Routing;

namespace Requesty.Router.Tests.Unit.Routing;

public sealed class FallbackRunnerTests
{
    private static RouteCandidate Candidate(string model, int retries) => new(model, retries, "platform", "policy/p");

    /// <summary>Answers each model's scripted results in order; records every call and every wait (no real time passes).</summary>
    private sealed class Script(Dictionary<string, Queue<AttemptResult>> results)
    {
        public List<string> Calls { get; } = [];
        public List<TimeSpan> Waits { get; } = [];

        public Task<AttemptResult> AttemptAsync(RouteCandidate candidate, CancellationToken _)
        {
            Calls.Add(candidate.Model);
            return Task.FromResult(results[candidate.Model].Dequeue());
        }

        public Task DelayAsync(TimeSpan delay, CancellationToken _)
        {
            Waits.Add(delay);
            return Task.CompletedTask;
        }

        public Task<FallbackResult> RunAsync(RetryBackoff backoff, params RouteCandidate[] candidates) =>
            FallbackRunner.RunAsync(candidates, AttemptAsync, backoff, DelayAsync, CancellationToken.None);
    }

    private static Queue<AttemptResult> Results(params AttemptResult[] results) => new(results);

    [Fact]
    public async Task Retries_with_exponential_backoff_then_moves_to_the_next_entry()
    {
        var script = new Script(new()
        {
            ["a"] = Results(
                AttemptResult.Failed(500, "upstream_error", "boom"), AttemptResult.Failed(429, "rate_limit", "slow down"),
                AttemptResult.Failed(503, "upstream_error", "boom"), AttemptResult.Failed(500, "upstream_error", "boom"),
                AttemptResult.Failed(500, "upstream_error", "boom")),
            ["b"] = Results(AttemptResult.Succeeded),
        });

        var result = await script.RunAsync(new RetryBackoff(() => 0.5), Candidate("a", 4), Candidate("b", 2));

        Assert.True(result.Succeeded);
        Assert.Equal(["a", "a", "a", "a", "a", "b"], script.Calls);
        Assert.Equal(6, result.UpstreamAttempts);
        Assert.Equal([500, 1000, 2000, 4000], script.Waits.Select(w => w.TotalMilliseconds));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.999999)]
    public void Jitter_stays_within_ten_percent(double random)
    {
        var backoff = new RetryBackoff(() => random);
        double[] nominal = [500, 1000, 2000, 4000, 4000, 4000];
        for (var retry = 0; retry < nominal.Length; retry++)
        {
            var delay = backoff.DelayFor(retry, null).TotalMilliseconds;
            Assert.InRange(delay, nominal[retry] * 0.9, nominal[retry] * 1.1);
        }
        Assert.Equal(random == 0 ? 450 : 550, backoff.DelayFor(0, null).TotalMilliseconds, 0);
    }

    [Fact]
    public void A_shorter_retry_after_wins_and_a_longer_one_does_not()
    {
        var backoff = new RetryBackoff(() => 0.5);
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.DelayFor(1, TimeSpan.FromMilliseconds(200)));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.DelayFor(1, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Retry_after_from_the_provider_shortens_the_wait()
    {
        var script = new Script(new()
        {
            ["a"] = Results(AttemptResult.Failed(429, "rate_limit", "later", TimeSpan.FromMilliseconds(100)), AttemptResult.Succeeded),
        });
        var result = await script.RunAsync(new RetryBackoff(() => 0.5), Candidate("a", 3));
        Assert.True(result.Succeeded);
        Assert.Equal([TimeSpan.FromMilliseconds(100)], script.Waits);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task Non_retryable_errors_skip_to_the_next_entry_at_once(int status)
    {
        var script = new Script(new()
        {
            ["a"] = Results(AttemptResult.Failed(status, "invalid_request", "no")),
            ["b"] = Results(AttemptResult.Succeeded),
        });
        var result = await script.RunAsync(new RetryBackoff(() => 0.5), Candidate("a", 5), Candidate("b", 0));
        Assert.True(result.Succeeded);
        Assert.Equal(["a", "b"], script.Calls);
        Assert.Empty(script.Waits);
    }

    [Fact]
    public async Task Content_policy_refusals_are_not_retried_even_with_a_retryable_status()
    {
        var script = new Script(new()
        {
            ["a"] = Results(AttemptResult.Failed(500, "upstream_error", "flagged", contentPolicy: true)),
            ["b"] = Results(AttemptResult.Succeeded),
        });
        await script.RunAsync(new RetryBackoff(() => 0.5), Candidate("a", 5), Candidate("b", 0));
        Assert.Equal(["a", "b"], script.Calls);
    }

    [Fact]
    public async Task Skipped_entries_cost_no_attempt_and_all_failing_returns_the_last_error_with_the_trail()
    {
        var script = new Script(new()
        {
            ["a"] = Results(AttemptResult.Failed(0, "timeout", "no answer"), AttemptResult.Failed(502, "upstream_error", "bad gateway")),
            ["b"] = Results(AttemptResult.Skipped("no vision support")),
            ["c"] = Results(AttemptResult.Failed(429, "rate_limit", "too many")),
        });
        var result = await script.RunAsync(new RetryBackoff(() => 0.5), Candidate("a", 1), Candidate("b", 3), Candidate("c", 0));

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.UpstreamAttempts);
        Assert.Equal(429, result.LastFailure!.Status);
        Assert.Equal("too many", result.LastFailure.Message);
        Assert.Equal(["a -> timeout", "a -> 502", "b skipped (no vision support)", "c -> 429"], result.Trail);
        Assert.Equal([500], script.Waits.Select(w => w.TotalMilliseconds));
    }

    [Fact]
    public async Task An_answer_broken_after_it_reached_the_client_ends_the_chain()
    {
        var broken = new AttemptResult(AttemptOutcome.Broken, 200, "timeout", "broke off");
        var script = new Script(new() { ["a"] = Results(broken), ["b"] = Results(AttemptResult.Succeeded) });
        var result = await script.RunAsync(new RetryBackoff(() => 0.5), Candidate("a", 3), Candidate("b", 0));

        Assert.False(result.Succeeded);
        Assert.Same(broken, result.LastFailure);
        Assert.Equal(["a"], script.Calls);
        Assert.Empty(script.Waits);
    }

    [Fact]
    public async Task Delays_run_on_the_injected_clock()
    {
        // Production passes Task.Delay(delay, timeProvider): a manual clock proves no wall-clock wait is hidden elsewhere.
        var clock = new ManualTimeProvider();
        var calls = 0;
        var run = FallbackRunner.RunAsync([Candidate("a", 1)],
            (_, _) => Task.FromResult(++calls == 1 ? AttemptResult.Failed(503, "upstream_error", "x") : AttemptResult.Succeeded),
            new RetryBackoff(() => 0.5), (delay, ct) => Task.Delay(delay, clock, ct), CancellationToken.None);

        Assert.False(run.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(run.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result.Succeeded);
        Assert.Equal(2, calls);
    }
}
