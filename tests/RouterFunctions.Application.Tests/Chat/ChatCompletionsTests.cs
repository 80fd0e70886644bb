using System.ClientModel;
using System.Net;
using Microsoft.Extensions.AI;
using RouterFunctions.Application.Chat;
using RouterFunctions.Application.Tests.Fakes;
using RouterFunctions.Chat;

namespace RouterFunctions.Application.Tests.Chat;

public sealed class ChatCompletionsTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    private static ChatCommand Command(string model) => new(model, [new(ChatRole.User, "What is 2+2?")], new ChatOptions { Temperature = 0.2f });

    private static ScriptedChatClient Answering(string text = "4") =>
        new((_, options) => new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { ModelId = options?.ModelId });

    private static HttpRequestException Http(HttpStatusCode status) => new("failed (test)", null, status);

    [Fact]
    public async Task An_unknown_model_is_invalid_and_the_client_is_not_called()
    {
        var client = Answering();

        var outcome = await _rig.ChatCompletions(client).CompleteAsync(Command("gpt-9"), Token);

        Assert.Equal((ErrorKind.Invalid, "model"), (outcome.Error!.Kind, outcome.Error.Field));
        Assert.Contains("gpt-9", outcome.Error.Detail, StringComparison.Ordinal);
        Assert.Empty(client.Calls);
    }

    [Fact]
    public async Task An_unknown_routing_policy_is_invalid_naming_the_model_field()
    {
        _rig.UseProfile();

        var outcome = await _rig.ChatCompletions(Answering()).CompleteAsync(Command("router:fancy"), Token);

        Assert.Equal((ErrorKind.Invalid, "model"), (outcome.Error!.Kind, outcome.Error.Field));
        Assert.Contains("fancy", outcome.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_without_a_profile_is_not_ready()
    {
        var outcome = await _rig.ChatCompletions(Answering()).CompleteAsync(Command("router"), Token);

        Assert.Equal(ErrorKind.NotReady, outcome.Error!.Kind);
    }

    [Fact]
    public async Task Routing_when_no_profile_model_has_a_backend_is_unavailable()
    {
        _rig.UseProfile();
        _rig.BackendModels = ["some-other-model"];
        var client = Answering();

        var outcome = await _rig.ChatCompletions(client).CompleteAsync(Command("router:cheap"), Token);

        Assert.Equal(ErrorKind.Unavailable, outcome.Error!.Kind);
        Assert.Empty(client.Calls);
    }

    [Fact]
    public async Task A_configured_model_is_called_with_its_name_in_the_options_and_the_caller_options_kept()
    {
        var client = Answering("4");
        var command = Command("cheap");

        var outcome = await _rig.ChatCompletions(client).CompleteAsync(command, Token);

        Assert.True(outcome.Succeeded);
        Assert.Equal(("4", "cheap", (ChatRoute?)null), (outcome.Value.Response.Text, outcome.Value.Model, outcome.Value.Route));
        var options = Assert.Single(client.Calls)!;
        Assert.Equal(("cheap", 0.2f), (options.ModelId, options.Temperature));
        Assert.Null(command.Options.ModelId); // the caller's options are not changed
    }

    [Fact]
    public async Task A_routed_request_passes_the_router_model_name_to_the_client()
    {
        _rig.UseProfile();
        var client = Answering();

        var outcome = await _rig.ChatCompletions(client).CompleteAsync(Command("router:quality"), Token);

        Assert.True(outcome.Succeeded);
        Assert.Equal("router:quality", Assert.Single(client.Calls)!.ModelId);
    }

    [Fact]
    public async Task Failover_running_out_is_unavailable_and_carries_the_request_id()
    {
        _rig.UseProfile();
        var failures = new List<ModelFailure> { new("dear", Http(HttpStatusCode.ServiceUnavailable)), new("cheap", Http(HttpStatusCode.TooManyRequests)) };
        var client = ScriptedChatClient.Throwing(new ChatFailoverException("No model answered.", failures, "req-1"));

        var outcome = await _rig.ChatCompletions(client).CompleteAsync(Command("router"), Token);

        Assert.Equal((ErrorKind.Unavailable, "req-1"), (outcome.Error!.Kind, outcome.Error.RequestId));
        Assert.Equal("dear: http 503; cheap: http 429", outcome.Error.Detail);
    }

    [Fact]
    public async Task Failover_where_every_model_was_throttled_is_throttled()
    {
        _rig.UseProfile();
        var failures = new List<ModelFailure> { new("dear", Http(HttpStatusCode.TooManyRequests)), new("cheap", new ClientResultException("throttled", new StatusResponse(429))) };
        var client = ScriptedChatClient.Throwing(new ChatFailoverException("No model answered.", failures, "req-2"));

        var outcome = await _rig.ChatCompletions(client).CompleteAsync(Command("router"), Token);

        Assert.Equal((ErrorKind.Throttled, "req-2"), (outcome.Error!.Kind, outcome.Error.RequestId));
    }

    [Fact]
    public async Task Failover_without_any_attempt_is_unavailable_not_throttled()
    {
        var client = ScriptedChatClient.Throwing(new ChatFailoverException("No candidate is configured."));

        var outcome = await _rig.ChatCompletions(client).CompleteAsync(Command("cheap"), Token);

        Assert.Equal((ErrorKind.Unavailable, (string?)null), (outcome.Error!.Kind, outcome.Error.RequestId));
    }

    [Theory]
    [InlineData(400, 400)]
    [InlineData(413, 413)]
    [InlineData(422, 422)]
    [InlineData(500, null)]
    [InlineData(401, null)]
    public async Task A_model_refusing_the_request_is_a_bad_gateway_passing_on_only_the_callers_own_statuses(int status, int? passedOn)
    {
        var client = ScriptedChatClient.Throwing(new ClientResultException("refused", new StatusResponse(status)));

        var outcome = await _rig.ChatCompletions(client).CompleteAsync(Command("cheap"), Token);

        Assert.Equal((ErrorKind.BadGateway, passedOn), (outcome.Error!.Kind, outcome.Error.Status));
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_other_exception_from_the_client_propagates()
    {
        var client = ScriptedChatClient.Throwing(new InvalidOperationException("bug"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _rig.ChatCompletions(client).CompleteAsync(Command("cheap"), Token));
    }

    [Fact]
    public async Task A_stream_starts_on_its_first_update_and_names_the_model()
    {
        var client = Answering("streamed");

        var outcome = await _rig.ChatCompletions(client).StreamAsync(Command("cheap"), Token);

        Assert.True(outcome.Succeeded);
        await using var stream = outcome.Value;
        Assert.Equal("cheap", stream.Model);
        Assert.Equal("streamed", stream.Updates.Current.Text);
    }

    [Fact]
    public async Task A_stream_refused_before_its_first_update_is_a_value_not_an_exception()
    {
        var client = ScriptedChatClient.Throwing(new ClientResultException("refused", new StatusResponse(400)));

        var outcome = await _rig.ChatCompletions(client).StreamAsync(Command("cheap"), Token);

        Assert.Equal((ErrorKind.BadGateway, (int?)400), (outcome.Error!.Kind, outcome.Error.Status));
    }

    [Fact]
    public async Task Aggregation_through_chat_without_a_profile_is_not_ready()
    {
        var client = Answering();

        var outcome = await _rig.ChatCompletions(client).CompleteAsync(Command(ChatModels.Aggregate), Token);

        Assert.Equal(ErrorKind.NotReady, outcome.Error!.Kind);
        Assert.Empty(client.Calls);
    }
}
