using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Chat;
using RouterFunctions.Local.Tests.Doubles;
using RouterFunctions.Messaging;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Local.Tests.Aggregation;

/// <summary>
/// The serverless Router-R1 loop on the local router: POST /api/aggregate starts a job and sends its first call to the
/// in-process aggregate-calls queue, whose consumer makes each call once and sends the next; GET /api/aggregate/{id}
/// shows the result. A redelivered call message never calls a model twice.
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
        // While the pool call is being made, the router call before it is delivered again (a Service Bus redelivery
        // racing the next step): it must not ask the router model again, only re-send the call the job waits for.
        IReadOnlyList<OutgoingMessage> resent = [];
        backend.DuringFirstPoolCall = async () =>
        {
            var sender = app.Get<ObservedMessageSender>();
            var routerCall = sender.SentTo(QueueNames.AggregateCalls)[0];
            var before = sender.SentTo(QueueNames.AggregateCalls).Count;
            Assert.True(await app.Get<AggregationService>().HandleAsync(new QueueDelivery(routerCall.Body, routerCall.MessageId, 2), CancellationToken.None));
            resent = [.. sender.SentTo(QueueNames.AggregateCalls).Skip(before)];
            Assert.Equal(1, backend.Calls(RouterModel));
        };

        using var started = await PostAsync(app, """{"question":"What is 2 + 2?"}""");
        var startedText = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"{(int)started.StatusCode}: {startedText}");
        var answer = JsonDocument.Parse(startedText).RootElement;
        var jobId = answer.GetProperty("id").GetString()!;
        Assert.Equal($"/api/aggregate/{jobId}", answer.GetProperty("statusUrl").GetString());
        await app.QueuesSettledAsync();

        // Router turn, pool call, router turn: one message each, keyed by (job, call); the redelivery re-sent the pool call as it was.
        var sent = app.Get<ObservedMessageSender>().SentTo(QueueNames.AggregateCalls);
        var calls = sent.DistinctBy(c => c.MessageId).ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(sent, c => Assert.StartsWith(jobId + "-", c.MessageId, StringComparison.Ordinal));
        var poolCall = Assert.Single(resent);
        Assert.Equal((calls[1].MessageId, calls[1].Body), (poolCall.MessageId, poolCall.Body));
        Assert.Equal((2, 1), (backend.Calls(RouterModel), backend.Calls(PoolModel)));
        Assert.Empty(app.Get<LocalQueues>().Aggregate.DeadLetters);

        var status = await app.GetJsonAsync($"/api/aggregate/{jobId}");
        var summary = status.GetProperty("summary");
        Assert.Equal("Done", summary.GetProperty("status").GetString());
        Assert.Equal("4", summary.GetProperty("answer").GetString());
        Assert.Equal(1, summary.GetProperty("poolCalls").GetInt32());
        Assert.True(summary.GetProperty("spent").GetDecimal() > 0);
        Assert.True(summary.GetProperty("formatValid").GetBoolean());

        // Every call redelivered (at least once): no model is asked again, nothing more is sent, the job stays as it was.
        foreach (var call in calls)
        {
            Assert.True(await app.Get<AggregationService>().HandleAsync(new QueueDelivery(call.Body, call.MessageId, 2), CancellationToken.None));
        }

        await app.QueuesSettledAsync();
        Assert.Equal((2, 1), (backend.Calls(RouterModel), backend.Calls(PoolModel)));
        Assert.Equal(sent.Count, app.Get<ObservedMessageSender>().SentTo(QueueNames.AggregateCalls).Count);
        Assert.Equal(summary.GetRawText(), (await app.GetJsonAsync($"/api/aggregate/{jobId}")).GetProperty("summary").GetRawText());
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_problem_and_a_bad_question_or_strategy_a_400()
    {
        await using var app = await StartAsync(new ScriptedModels());

        using var missing = await app.Client.GetAsync(new Uri("/api/aggregate/nope", UriKind.Relative));
        using var invalid = await PostAsync(app, """{"question":"   "}""");
        using var badStrategy = await PostAsync(app, """{"question":"What is 2 + 2?","strategy":99}""");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, badStrategy.StatusCode);
        var problem = JsonDocument.Parse(await badStrategy.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("strategy", out _), problem.ToString());
        Assert.Empty(app.Get<ObservedMessageSender>().SentTo(QueueNames.AggregateCalls));
    }

    private async Task<TestApp> StartAsync(ScriptedModels backend)
    {
        var settings = new Dictionary<string, string?> { ["Aggregation:RouterModel"] = RouterModel };
        return await TestApp.StartAsync(fixture, settings, services: services =>
        {
            services.AddSingleton(_ => new ChatBackends(
                ScriptedModels.Names.Select(n => new ChatModelOptions { Name = n, Kind = ChatModelKind.OpenAICompatible, Endpoint = "http://backend.test/v1", InputPricePerMillion = 1, OutputPricePerMillion = 2 }),
                new HttpClient(backend)));
            services.AddSingleton<ObservedMessageSender>();
            services.AddSingleton<IMessageSender>(sp => sp.GetRequiredService<ObservedMessageSender>());
        });
    }

    private static async Task<HttpResponseMessage> PostAsync(TestApp app, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await app.Client.PostAsync(new Uri("/api/aggregate", UriKind.Relative), content);
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

        public int Calls(string model) => _calls.GetValueOrDefault(model);

        /// <summary>Run once, inside the first call of a pool model, before it answers.</summary>
        public Func<Task>? DuringFirstPoolCall { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement;
            var model = body.GetProperty("model").GetString()!;
            var count = _calls.AddOrUpdate(model, 1, (_, n) => n + 1);
            if (model != RouterModel && count == 1 && DuringFirstPoolCall is { } hook)
            {
                await hook();
            }

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
