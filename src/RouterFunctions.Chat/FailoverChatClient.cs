using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace RouterFunctions.Chat;

/// <summary>
/// Failover over a fixed ranking (the Self-Healing Router): calls the ranked candidates in order, at most
/// <see cref="MaxAttempts"/> of them, moving on when a model fails in a way <see cref="ChatFailurePolicy"/> calls
/// retryable (429, 5xx, timeout, transport) and reporting each such failure to the <see cref="IModelFailureSink"/>
/// (with <see cref="RequestId"/>). The answer's <c>ModelId</c> is the model that answered and
/// <c>AdditionalProperties["attempts"]</c> how many were tried. Non-retryable errors (other 4xx, the caller's
/// cancellation) propagate at once, unrecorded. When no model answers: <see cref="ChatFailoverException"/>.
/// <para>
/// Streaming fails over only until the first update: a model that errors before producing anything is replaced;
/// once an update has been yielded the answer is committed to that model and later errors propagate (the caller may
/// already have sent text), a retryable one after being reported to the sink. So the first update's <c>ModelId</c>
/// tells the answering model before any text is written.
/// </para>
/// Candidates that are not configured (or disabled) are skipped without counting as attempts. The loop itself is a
/// Polly retry (<see cref="ChatFailoverPipeline"/>); <see cref="RoutingChatClient"/> uses the same one with a ranking per call.
/// </summary>
public sealed class FailoverChatClient : IChatClient
{
    private readonly ChatFailoverPipeline _pipeline;
    private readonly IReadOnlyList<string> _ranked;

    public FailoverChatClient(
        IReadOnlyDictionary<string, IChatClient> backends,
        IEnumerable<string> rankedModels,
        IModelFailureSink failures,
        int maxAttempts,
        ILogger? logger = null,
        string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(rankedModels);
        _pipeline = new ChatFailoverPipeline(backends, failures, maxAttempts, logger);
        _ranked = [.. rankedModels];
        RequestId = requestId;
        var plan = _pipeline.Plan(_ranked, requestId);
        Candidates = plan.Candidates;
        Skipped = plan.Skipped;
    }

    /// <summary>The ranked models that have a backend, in order; the first <see cref="MaxAttempts"/> are tried.</summary>
    public IReadOnlyList<string> Candidates { get; }

    /// <summary>Ranked models without a backend (not configured or disabled).</summary>
    public IReadOnlyList<string> Skipped { get; }

    public int MaxAttempts => _pipeline.MaxAttempts;

    /// <summary>The routed request failures are reported under, or null.</summary>
    public string? RequestId { get; }

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _pipeline.GetResponseAsync(_pipeline.Plan(_ranked, RequestId), Materialize(messages), options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _pipeline.GetStreamingResponseAsync(_pipeline.Plan(_ranked, RequestId), Materialize(messages), options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>The backends are shared, not owned: nothing to dispose.</summary>
    public void Dispose()
    {
    }

    /// <summary>Every attempt sends the same conversation, so an enumerable that can be read once is read once.</summary>
    internal static List<ChatMessage> Materialize(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return [.. messages];
    }
}
