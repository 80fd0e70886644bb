using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RouterFunctions.Chat;
using RouterFunctions.Local.Tests.Functions;

namespace RouterFunctions.Local.Tests.Aggregation;

/// <summary>
/// The serverless Router-R1 loop through the host's payloads: POST /Aggregate starts a job and fans out its first call,
/// each POST /AggregateStep makes one call and fans out the next; a redelivered message never calls a model twice.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AggregateFunctionsTests(RouterAppFixture fixture)
{
    private const string RouterModel = "gpt-4-1106-preview";
    private const string PoolModel = "mistralai/mistral-7b-chat";

    [Fact]
    public async Task A_two_step_job_runs_through_the_queue_and_redeliveries_do_not_call_again()
    {
        var backend = new ScriptedModels();
        await using var app = await StartAsync(backend);

        var started = (await app.InvokeAsync("Aggregate", HttpRequest("""{"question":"What is 2 + 2?"}"""))).AssertSucceeded();
        Assert.Equal("202", started.Outputs.GetProperty("res").GetProperty("statusCode").GetString());
        var jobId = started.Outputs.GetProperty("res").GetProperty("body").GetProperty("id").GetString()!;
        var routerCall = Single(started.Outputs.GetProperty("callsOut"));

        var afterRouter = (await StepAsync(app, routerCall, deliveryCount: 1)).AssertSucceeded();
        var poolCall = Single(afterRouter.Outputs.GetProperty("callsOut"));
        var redelivered = (await StepAsync(app, routerCall, deliveryCount: 2)).AssertSucceeded();

        Assert.Equal(1, backend.Calls(RouterModel));
        Assert.Equal(poolCall.ToJsonString(), Single(redelivered.Outputs.GetProperty("callsOut")).ToJsonString());

        var afterPool = (await StepAsync(app, poolCall, deliveryCount: 1)).AssertSucceeded();
        (await StepAsync(app, poolCall, deliveryCount: 2)).AssertSucceeded();
        Assert.Equal(1, backend.Calls(PoolModel));

        var secondRouter = Single(afterPool.Outputs.GetProperty("callsOut"));
        var done = (await StepAsync(app, secondRouter, deliveryCount: 1)).AssertSucceeded();
        Assert.False(done.HasOutput("callsOut"));
        Assert.Equal(2, backend.Calls(RouterModel));

        var status = await app.GetJsonAsync($"/api/aggregate/{jobId}");
        var summary = status.GetProperty("summary");
        Assert.Equal("Done", summary.GetProperty("status").GetString());
        Assert.Equal("4", summary.GetProperty("answer").GetString());
        Assert.Equal(1, summary.GetProperty("poolCalls").GetInt32());
        Assert.True(summary.GetProperty("spent").GetDecimal() > 0);
        Assert.True(summary.GetProperty("formatValid").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_problem_and_a_bad_question_or_strategy_a_400()
    {
        await using var app = await StartAsync(new ScriptedModels());

        using var missing = await app.Client.GetAsync(new Uri("/api/aggregate/nope", UriKind.Relative));
        var invalid = (await app.InvokeAsync("Aggregate", HttpRequest("""{"question":"   "}"""))).AssertSucceeded();
        var badStrategy = (await app.InvokeAsync("Aggregate", HttpRequest("""{"question":"What is 2 + 2?","strategy":99}"""))).AssertSucceeded();

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("400", invalid.Outputs.GetProperty("res").GetProperty("statusCode").GetString());
        Assert.False(invalid.HasOutput("callsOut"));
        Assert.Equal("400", badStrategy.Outputs.GetProperty("res").GetProperty("statusCode").GetString());
        Assert.True(badStrategy.Outputs.GetProperty("res").GetProperty("body").GetProperty("errors").TryGetProperty("strategy", out _));
    }

    private async Task<TestApp> StartAsync(ScriptedModels backend)
    {
        var settings = new Dictionary<string, string?> { ["Aggregation:RouterModel"] = RouterModel };
        return await TestApp.StartAsync(fixture, settings, services: services => services.AddSingleton(_ => new ChatBackends(
            ScriptedModels.Names.Select(n => new ChatModelOptions { Name = n, Kind = ChatModelKind.OpenAICompatible, Endpoint = "http://backend.test/v1", InputPricePerMillion = 1, OutputPricePerMillion = 2 }),
            new HttpClient(backend))));
    }

    private static Task<Invocation> StepAsync(TestApp app, JsonNode message, int deliveryCount) =>
        app.InvokeAsync("AggregateStep", HostPayloads.ServiceBus(
            "AggregateStep", HostPayloads.Encode(message.ToJsonString(), BodyEncoding.JsonString), message["callId"]!.GetValue<string>(), deliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static JsonNode Single(JsonElement messages) => JsonNode.Parse(Assert.Single(messages.EnumerateArray()).GetRawText())!;

    private static JsonObject HttpRequest(string body) => new()
    {
        ["Data"] = new JsonObject
        {
            ["req"] = new JsonObject
            {
                ["Url"] = "http://localhost:7071/api/aggregate",
                ["Method"] = "POST",
                ["Query"] = new JsonObject(),
                ["Headers"] = new JsonObject { ["Content-Type"] = new JsonArray("application/json") },
                ["Params"] = new JsonObject(),
                ["Body"] = body,
            },
        },
        ["Metadata"] = new JsonObject(),
    };

    /// <summary>The router model searches once, then answers; every pool model answers "4". Counts calls per model.</summary>
    private sealed class ScriptedModels : HttpMessageHandler
    {
        public static readonly string[] Names =
        [
            "WizardLM/WizardLM-13B-V1.2", "claude-instant-v1", "claude-v1", "claude-v2", "gpt-3.5-turbo-1106", "gpt-4-1106-preview",
            "meta/code-llama-instruct-34b-chat", "meta/llama-2-70b-chat", "mistralai/mistral-7b-chat", "mistralai/mixtral-8x7b-chat", "zero-one-ai/Yi-34B-Chat",
        ];

        private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

        public int Calls(string model) => _calls.GetValueOrDefault(model);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement;
            var model = body.GetProperty("model").GetString()!;
            var count = _calls.AddOrUpdate(model, 1, (_, n) => n + 1);
            var text = model != RouterModel ? "4"
                : count == 1 ? $"<think>Ask a cheap model.</think><search> {PoolModel}: what is 2 + 2? </search>"
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
