using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RouterFunctions.Aggregation;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Chat;
using RouterFunctions.Messaging;
using RouterFunctions.Workers.Tests.Functions;

namespace RouterFunctions.Workers.Tests.Aggregation;

/// <summary>
/// The serverless Router-R1 loop through the host's payloads: the Aggregate use case starts a job and sends its first
/// call; each POST /AggregateStep makes one call and sends the next on aggregate-calls; a redelivered message never
/// calls a model twice. (Starting a job over HTTP is the Functions app's and the local router's, tested there.)
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed class AggregateStepTests(WorkersFixture fixture)
{
    private const string Function = "AggregateStep";
    private const string RouterModel = "gpt-4-1106-preview";
    private const string PoolModel = "mistralai/mistral-7b-chat";

    [Fact]
    public async Task A_two_step_job_runs_through_the_queue_and_redeliveries_do_not_call_again()
    {
        var backend = new ScriptedModels();
        await using var app = await StartAsync(backend);
        var job = await StartJobAsync(app);
        var routerCall = Assert.Single(app.Sender.SentTo(QueueNames.AggregateCalls));
        AssertCall(routerCall, job.Id);

        var afterRouter = await StepAsync(app, routerCall, deliveryCount: 1);
        var poolCall = Assert.Single(afterRouter);
        var redelivered = await StepAsync(app, routerCall, deliveryCount: 2);

        Assert.Equal(1, backend.Calls(RouterModel));
        Assert.NotEqual(routerCall.MessageId, poolCall.MessageId);
        AssertCall(poolCall, job.Id);
        Assert.Equal(poolCall, Assert.Single(redelivered)); // the same MessageId: a duplicate the queue drops

        var afterPool = await StepAsync(app, poolCall, deliveryCount: 1);
        await StepAsync(app, poolCall, deliveryCount: 2);
        Assert.Equal(1, backend.Calls(PoolModel));

        var secondRouter = Assert.Single(afterPool);
        AssertCall(secondRouter, job.Id);
        var done = await StepAsync(app, secondRouter, deliveryCount: 1);
        Assert.Empty(done);
        Assert.Equal(2, backend.Calls(RouterModel));

        var summary = (await app.Get<AggregationService>().GetAsync(job.Id, CancellationToken.None)).Value!.Summary();
        Assert.Equal((AggregationStatus.Done, "4", 1, true), (summary.Status, summary.Answer, summary.PoolCalls, summary.FormatValid));
        Assert.True(summary.Spent > 0);
        Assert.Empty(await StepAsync(app, secondRouter, deliveryCount: 2)); // a done job sends nothing more
        Assert.Equal(2, backend.Calls(RouterModel));
    }

    [Fact]
    public async Task A_router_call_that_fails_fails_the_invocation_and_its_redelivery_calls_again()
    {
        var backend = new ScriptedModels { FailRouterCalls = 1 };
        await using var app = await StartAsync(backend);
        await StartJobAsync(app);
        var routerCall = Assert.Single(app.Sender.SentTo(QueueNames.AggregateCalls));

        var failed = await app.InvokeAsync(Function, Payload(routerCall, deliveryCount: 1));
        Assert.True(failed.Status == HttpStatusCode.InternalServerError, $"{(int)failed.Status}: {failed.Text}");
        Assert.Single(app.Sender.SentTo(QueueNames.AggregateCalls));

        var next = await StepAsync(app, routerCall, deliveryCount: 2);

        Assert.Equal(2, backend.Calls(RouterModel));
        Assert.Single(next);
    }

    [Fact]
    public async Task A_next_call_that_cannot_be_sent_fails_the_invocation_and_its_redelivery_sends_it_without_calling_again()
    {
        var backend = new ScriptedModels();
        await using var app = await StartAsync(backend);
        await StartJobAsync(app);
        var routerCall = Assert.Single(app.Sender.SentTo(QueueNames.AggregateCalls));
        app.Sender.FailNext = 1;

        var failed = await app.InvokeAsync(Function, Payload(routerCall, deliveryCount: 1));
        Assert.True(failed.Status == HttpStatusCode.InternalServerError, $"{(int)failed.Status}: {failed.Text}");

        var next = await StepAsync(app, routerCall, deliveryCount: 2);

        Assert.Equal(1, backend.Calls(RouterModel));
        Assert.Single(next);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"jobId":"j-1"}""")]
    [InlineData("""{"jobId":"","callId":"c-1"}""")]
    public async Task A_message_that_is_not_a_call_of_a_job_is_dropped_with_a_log_line(string body)
    {
        await using var app = await StartAsync(new ScriptedModels());

        var result = (await app.InvokeAsync(Function, HostPayloads.ServiceBus(Function, body, "m-drop", "1"))).AssertSucceeded();

        Assert.StartsWith("dropped message m-drop", Assert.Single(result.Logs), StringComparison.Ordinal);
        Assert.Empty(app.Sender.Sent);
    }

    [Fact]
    public async Task A_call_of_an_unknown_job_is_acknowledged_and_sends_nothing()
    {
        await using var app = await StartAsync(new ScriptedModels());

        var result = (await app.InvokeAsync(Function, HostPayloads.ServiceBus(Function, """{"jobId":"no-such-job","callId":"c-1"}""", "m-1", "1"))).AssertSucceeded();

        Assert.Empty(result.Logs);
        Assert.Empty(app.Sender.Sent);
    }

    private async Task<WorkersApp> StartAsync(ScriptedModels backend)
    {
        var settings = new Dictionary<string, string?> { ["Aggregation:RouterModel"] = RouterModel };
        return await WorkersApp.StartAsync(fixture, settings, services: services => services.AddSingleton(_ => new ChatBackends(
            ScriptedModels.Names.Select(n => new ChatModelOptions { Name = n, Kind = ChatModelKind.OpenAICompatible, Endpoint = "http://backend.test/v1", InputPricePerMillion = 1, OutputPricePerMillion = 2 }),
            new HttpClient(backend))));
    }

    private static async Task<AggregationJob> StartJobAsync(WorkersApp app)
    {
        var started = await app.Get<AggregationService>().StartAsync(new AggregateCommand("What is 2 + 2?", null, null), CancellationToken.None);
        Assert.True(started.Succeeded, started.Succeeded ? "" : started.Error.Detail);
        return started.Value;
    }

    /// <summary>Delivers <paramref name="message"/> as the host would; returns what the step sent to aggregate-calls.</summary>
    private static async Task<IReadOnlyList<OutgoingMessage>> StepAsync(WorkersApp app, OutgoingMessage message, int deliveryCount)
    {
        var before = app.Sender.SentTo(QueueNames.AggregateCalls).Count;
        var result = (await app.InvokeAsync(Function, Payload(message, deliveryCount))).AssertSucceeded();
        Assert.Empty(result.Logs);
        Assert.Equal(JsonValueKind.Null, result.ReturnValue.ValueKind);
        return [.. app.Sender.SentTo(QueueNames.AggregateCalls).Skip(before)];
    }

    private static System.Text.Json.Nodes.JsonObject Payload(OutgoingMessage message, int deliveryCount) =>
        HostPayloads.ServiceBus(Function, HostPayloads.Encode(message.Body, BodyEncoding.JsonString), message.MessageId, deliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A call message: {"jobId", "callId"} of the job, keyed "{job}-{call}" so a resend is a duplicate.</summary>
    private static void AssertCall(OutgoingMessage message, string jobId)
    {
        var call = JsonSerializer.Deserialize<AggregateCallMessage>(message.Body, JsonSerializerOptions.Web)!;
        Assert.Equal(jobId, call.JobId);
        Assert.Equal($"{jobId}-{call.CallId}", message.MessageId);
        Assert.Equal("aggregate-call", message.Subject);
    }

    /// <summary>The router model searches once, then answers; every pool model answers "4". Counts calls per model.</summary>
    private sealed class ScriptedModels : HttpMessageHandler
    {
        public static readonly string[] Names =
        [
            "WizardLM/WizardLM-13B-V1.2", "claude-instant-v1", "claude-v1", "claude-v2", "gpt-3.5-turbo-1106", "gpt-4-1106-preview",
            "meta/code-llama-instruct-34b-chat", "meta/llama-2-70b-chat", "mistralai/mistral-7b-chat", "mistralai/mixtral-8x7b-chat", "zero-one-ai/Yi-34B-Chat",
        ];

        private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

        /// <summary>How many router calls answer 400 first (a failure the failover does not retry).</summary>
        public int FailRouterCalls { get; init; }

        public int Calls(string model) => _calls.GetValueOrDefault(model);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement;
            var model = body.GetProperty("model").GetString()!;
            var count = _calls.AddOrUpdate(model, 1, (_, n) => n + 1);
            if (model == RouterModel && count <= FailRouterCalls)
            {
                return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("""{"error":{"message":"scripted failure"}}""", Encoding.UTF8, "application/json") };
            }

            var routerTurn = count - FailRouterCalls;
            var text = model != RouterModel ? "4"
                : routerTurn == 1 ? $"<think>Ask a cheap model.</think><search> {PoolModel}: what is 2 + 2? </search>"
                : "<think>It said 4.</think><answer>4</answer>";
            var json = JsonSerializer.Serialize(new
            {
                id = "cmpl", @object = "chat.completion", created = 1, model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 100, completion_tokens = 20, total_tokens = 120 },
            });
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }
}
