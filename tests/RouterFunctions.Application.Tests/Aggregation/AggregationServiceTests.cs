using System.Text.Json;
using RouterFunctions.Aggregation;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Tests.Aggregation;

public sealed class AggregationServiceTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Theory]
    [InlineData(null, null, "question")]
    [InlineData("", null, "question")]
    [InlineData("   ", null, "question")]
    [InlineData("What is 2+2?", 0.0, "budget")]
    [InlineData("What is 2+2?", 101.0, "budget")]
    public async Task An_invalid_command_is_invalid_and_names_its_field(string? question, double? budget, string field)
    {
        _rig.UseProfile();

        var outcome = await _rig.Aggregation().StartAsync(new AggregateCommand(question, null, (decimal?)budget), Token);

        Assert.False(outcome.Succeeded);
        Assert.Equal((ErrorKind.Invalid, field), (outcome.Error.Kind, outcome.Error.Field));
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task An_unknown_strategy_is_invalid()
    {
        _rig.UseProfile();

        var outcome = await _rig.Aggregation().StartAsync(new AggregateCommand("q", (AggregationStrategy)42, null), Token);

        Assert.Equal((ErrorKind.Invalid, "strategy"), (outcome.Error!.Kind, outcome.Error.Field));
    }

    [Fact]
    public async Task Without_a_profile_aggregation_is_not_ready()
    {
        var outcome = await _rig.Aggregation().StartAsync(new AggregateCommand("What is 2+2?", null, null), Token);

        Assert.Equal(ErrorKind.NotReady, outcome.Error!.Kind);
    }

    [Fact]
    public async Task Without_backends_for_the_profile_models_aggregation_is_unavailable_and_nothing_is_saved_or_sent()
    {
        _rig.UseProfile();
        _rig.BackendModels = ["some-other-model"];

        var outcome = await _rig.Aggregation().StartAsync(new AggregateCommand("What is 2+2?", null, null), Token);

        Assert.Equal(ErrorKind.Unavailable, outcome.Error!.Kind);
        Assert.Empty(_rig.Sender.Sent);
        Assert.Empty(_rig.Embedder.Batches);
    }

    [Fact]
    public async Task A_configured_router_model_without_a_backend_makes_aggregation_unavailable()
    {
        _rig.UseProfile();
        _rig.AggregationOptions = new AggregationOptions { RouterModel = "not-configured" };

        var outcome = await _rig.Aggregation().StartAsync(new AggregateCommand("What is 2+2?", null, null), Token);

        Assert.Equal(ErrorKind.Unavailable, outcome.Error!.Kind);
    }

    [Fact]
    public async Task A_started_job_is_saved_and_its_first_router_call_sent_keyed_by_job_and_call()
    {
        _rig.UseProfile();
        var aggregation = _rig.Aggregation();

        var outcome = await aggregation.StartAsync(new AggregateCommand("What is 2+2?", null, 0.5m), Token);

        Assert.True(outcome.Succeeded);
        var job = outcome.Value;
        Assert.Equal(("What is 2+2?", AggregationStrategy.MultiRound, 0.5m), (job.Question, job.Strategy, job.Options.Budget));
        // No router model configured: the profile's best model by mean score ("dear", 29/30) that has a backend, at its backend's prices.
        Assert.Equal(("dear", 1m, 2m), (job.Options.RouterModel, job.Options.RouterInputPricePerMillion, job.Options.RouterOutputPricePerMillion));
        Assert.Equal(["cheap", "dear"], job.Pool.Select(p => p.Name).Order(StringComparer.Ordinal));
        var (queue, message) = Assert.Single(_rig.Sender.Sent);
        Assert.Equal(QueueNames.AggregateCalls, queue);
        var call = JsonSerializer.Deserialize<AggregateCallMessage>(message.Body, ApplicationJson.Web)!;
        Assert.Equal(job.Id, call.JobId);
        Assert.Equal(job.PendingRouterCall!.CallId, call.CallId);
        Assert.Equal(($"{job.Id}-{call.CallId}", "aggregate-call"), (message.MessageId, message.Subject));
        var stored = await aggregation.GetAsync(job.Id, Token);
        Assert.Equal(job.Id, stored.Value!.Id);
    }

    [Fact]
    public async Task An_unknown_job_is_not_found()
    {
        var outcome = await _rig.Aggregation().GetAsync("no-such-job", Token);

        Assert.Equal(ErrorKind.NotFound, outcome.Error!.Kind);
        Assert.Contains("no-such-job", outcome.Error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"jobId":"","callId":"c1"}""")]
    [InlineData("""{"jobId":"j1"}""")]
    public async Task A_message_that_is_not_a_call_of_a_job_is_dropped_and_nothing_is_sent(string body)
    {
        var handled = await _rig.Aggregation().HandleAsync(new QueueDelivery(body, "m1", 1), Token);

        Assert.False(handled);
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task A_call_of_an_unknown_job_is_handled_and_sends_nothing()
    {
        var body = JsonSerializer.Serialize(new AggregateCallMessage("no-such-job", "c1"), JsonSerializerOptions.Web);

        var handled = await _rig.Aggregation().HandleAsync(new QueueDelivery(body, "m1", 1), Token);

        Assert.True(handled);
        Assert.Empty(_rig.Sender.Sent);
    }
}
