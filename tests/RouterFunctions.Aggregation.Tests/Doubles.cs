using Microsoft.Extensions.AI;

namespace RouterFunctions.Aggregation.Tests;

/// <summary>Shared pool, options and a driver that plays a scripted router and pool against the machine.</summary>
internal static class Fixture
{
    // alpha: $1 / $2 per 1M tokens; beta: $10 / $30; router: $0.5 / $1.5. Budget $1: never binding unless a test says so.
    public static readonly PoolModel Alpha = new() { Name = "alpha", InputPricePerMillion = 1m, OutputPricePerMillion = 2m, Notes = "fast, general", PredictedQuality = 0.6 };
    public static readonly PoolModel Beta = new() { Name = "beta", InputPricePerMillion = 10m, OutputPricePerMillion = 30m, Notes = "strong at facts", PredictedQuality = 0.85 };

    public static IReadOnlyList<PoolModel> Pool { get; } = [Alpha, Beta];

    public static AggregationOptions Options { get; } = new()
    {
        Budget = 1m,
        RouterInputPricePerMillion = 0.5m,
        RouterOutputPricePerMillion = 1.5m,
    };

    public static string LastPrompt(AggregationJob job)
    {
        var last = job.Transcript[^1];
        Assert.Equal(TranscriptRole.User, last.Role);
        return last.Text;
    }
}

/// <summary>A chat client that replies from a script, in order, and records what it was sent.</summary>
internal sealed class ScriptedChatClient(Func<IList<ChatMessage>, (string Text, long In, long Out)> reply) : IChatClient
{
    public ScriptedChatClient(params (string Text, long In, long Out)[] script)
        : this(Next(new Queue<(string, long, long)>(script)))
    {
    }

    public List<IList<ChatMessage>> Received { get; } = [];

    public List<ChatOptions?> Options { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        lock (Received)
        {
            Received.Add(list);
            Options.Add(options);
        }

        var (text, input, output) = reply(list);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static Func<IList<ChatMessage>, (string, long, long)> Next(Queue<(string, long, long)> script) =>
        _ => script.Count > 0 ? script.Dequeue() : throw new InvalidOperationException("The script has no more replies.");
}

/// <summary>A pool model that fails every call.</summary>
internal sealed class FailingChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new HttpRequestException("503 Service Unavailable");

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
