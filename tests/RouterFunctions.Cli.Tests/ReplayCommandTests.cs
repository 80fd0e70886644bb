using System.Net;
using System.Text;
using System.Text.Json;

namespace RouterFunctions.Cli.Tests;

[Collection(OwnDataCollection.Name)]
public sealed class ReplayCommandTests(OwnDataFixture data)
{
    private static readonly string[] Models =
    [
        "WizardLM/WizardLM-13B-V1.2", "claude-instant-v1", "claude-v1", "claude-v2", "gpt-3.5-turbo-1106", "gpt-4-1106-preview",
        "meta/code-llama-instruct-34b-chat", "meta/llama-2-70b-chat", "mistralai/mistral-7b-chat", "mistralai/mixtral-8x7b-chat", "zero-one-ai/Yi-34B-Chat",
    ];

    [Fact]
    public async Task Replay_reports_exact_match_calls_and_spend_over_the_pool()
    {
        var questions = Path.Combine(data.Directory, "questions.jsonl");
        await File.WriteAllLinesAsync(questions,
        [
            """{"question": "What is 2 + 2?", "answer": "4"}""",
            """{"question": "What is the capital of France?", "answer": ["Paris", "paris, france"]}""",
        ]);
        var config = Path.Combine(data.Directory, "models-config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Models = Models.Select(m => new { Name = m, Kind = "OpenAICompatible", Endpoint = "http://backend.test/v1", InputPricePerMillion = 1, OutputPricePerMillion = 2 }),
        }));
        using var backend = new ScriptedPool();
        using var output = new StringWriter();
        using var log = new StringWriter();

        var exit = await CliApp.RunAsync(
            ["replay", "--questions", questions, "--config", config, "--profile", data.ProfilePath, "--router-model", "gpt-4-1106-preview", "--json"],
            output, log, backend);

        Assert.True(exit == 0, log.ToString());
        var report = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(2, report.GetProperty("questions").GetInt32());
        Assert.Equal(0.5, report.GetProperty("exactMatch").GetDouble()); // the scripted router gets France wrong
        Assert.Equal(1.0, report.GetProperty("formatValid").GetDouble());
        Assert.Equal(1.0, report.GetProperty("meanPoolCalls").GetDouble());
        Assert.Equal(2.0, report.GetProperty("meanRouterCalls").GetDouble());
        // Three calls a question, each 100 tokens in at $1/1M and 20 out at $2/1M: 3 × $0.00014.
        Assert.Equal(0.00042m, report.GetProperty("meanSpend").GetDecimal());
    }

    [Fact]
    public async Task Replay_rejects_a_router_model_that_is_not_configured()
    {
        var config = Path.Combine(data.Directory, "empty-config.json");
        await File.WriteAllTextAsync(config, """{"Models": []}""");
        var questions = Path.Combine(data.Directory, "one-question.jsonl");
        await File.WriteAllTextAsync(questions, """{"question": "q", "answer": "a"}""");

        var (exit, _, log) = await Cli.RunAsync("replay", "--questions", questions, "--config", config, "--profile", data.ProfilePath, "--router-model", "nope");

        Assert.Equal(2, exit);
        Assert.Contains("--router-model 'nope'", log, StringComparison.Ordinal);
    }

    /// <summary>The router model searches until it sees the pool's observation, then answers ("4" for the sum, a wrong city otherwise); pool models answer briefly.</summary>
    private sealed class ScriptedPool : HttpMessageHandler
    {
        private const string PoolAnswer = "The pool model's observation.";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var text = await request.Content!.ReadAsStringAsync(cancellationToken);
            var body = JsonDocument.Parse(text).RootElement;
            var model = body.GetProperty("model").GetString()!;
            var content = model != "gpt-4-1106-preview" ? PoolAnswer
                : !text.Contains(PoolAnswer, StringComparison.Ordinal) ? "<search> mistralai/mistral-7b-chat: help me </search>"
                : text.Contains("2 + 2", StringComparison.Ordinal) ? "<answer>4</answer>"
                : "<answer>Lyon</answer>";
            var json = JsonSerializer.Serialize(new
            {
                id = "cmpl", @object = "chat.completion", created = 1, model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 100, completion_tokens = 20, total_tokens = 120 },
            });
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }
}
