using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RouterFunctions.Chat;

/// <summary>
/// One request's failover (the Self-Healing Router): calls the routing's ranked candidates in order, at most
/// <see cref="MaxAttempts"/> of them, moving on when a model fails in a way <see cref="ChatFailurePolicy"/> calls
/// retryable (429, 5xx, timeout, transport) and reporting each such failure to the <see cref="IModelFailureSink"/>.
/// The answer's <c>ModelId</c> is the model that answered and <c>AdditionalProperties["attempts"]</c> how many were
/// tried. Non-retryable errors (other 4xx, the caller's cancellation) propagate at once, unrecorded. When no model
/// answers: <see cref="ChatFailoverException"/>.
/// <para>
/// Streaming fails over only until the first update: a model that errors before producing anything is replaced;
/// once an update has been yielded the answer is committed to that model and later errors propagate (the caller may
/// already have sent text), a retryable one after being reported to the sink. So the first update's <c>ModelId</c>
/// tells the answering model before any text is written.
/// </para>
/// Candidates that are not configured (or disabled) are skipped without counting as attempts.
/// </summary>
public sealed partial class FailoverChatClient : IChatClient
{
    private readonly IReadOnlyDictionary<string, IChatClient> _backends;
    private readonly IModelFailureSink _failures;
    private readonly ILogger _logger;

    public FailoverChatClient(
        IReadOnlyDictionary<string, IChatClient> backends,
        IEnumerable<string> rankedModels,
        IModelFailureSink failures,
        int maxAttempts,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(rankedModels);
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _backends = backends;
        _failures = failures;
        _logger = logger ?? NullLogger.Instance;
        MaxAttempts = maxAttempts;
        var ranked = rankedModels.Distinct(StringComparer.Ordinal).ToList();
        Skipped = [.. ranked.Where(m => !backends.ContainsKey(m))];
        Candidates = [.. ranked.Where(backends.ContainsKey)];
    }

    /// <summary>The ranked models that have a backend, in order; the first <see cref="MaxAttempts"/> are tried.</summary>
    public IReadOnlyList<string> Candidates { get; }

    /// <summary>Ranked models without a backend (not configured or disabled).</summary>
    public IReadOnlyList<string> Skipped { get; }

    public int MaxAttempts { get; }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = Materialize(messages);
        var failures = new List<ModelFailure>();
        foreach (var model in Attempted())
        {
            try
            {
                var response = await _backends[model].GetResponseAsync(conversation, options, cancellationToken);
                response.ModelId = model;
                (response.AdditionalProperties ??= [])[ChatResponseProperties.Attempts] = failures.Count + 1;
                return response;
            }
            catch (Exception ex) when (ChatFailurePolicy.IsRetryable(ex, cancellationToken))
            {
                await FailedAsync(model, ex, failures, cancellationToken);
            }
        }

        throw NoAnswer(failures);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversation = Materialize(messages);
        var failures = new List<ModelFailure>();
        foreach (var model in Attempted())
        {
            Exception? failure = null;
            var updates = _backends[model].GetStreamingResponseAsync(conversation, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                var any = false;
                try
                {
                    any = await updates.MoveNextAsync();
                }
                catch (Exception ex) when (ChatFailurePolicy.IsRetryable(ex, cancellationToken))
                {
                    failure = ex;
                }

                if (failure is null)
                {
                    if (any)
                    {
                        var first = updates.Current;
                        first.ModelId = model;
                        (first.AdditionalProperties ??= [])[ChatResponseProperties.Attempts] = failures.Count + 1;
                        yield return first;
                        while (true)
                        {
                            bool more;
                            try
                            {
                                more = await updates.MoveNextAsync();
                            }
                            catch (Exception ex) when (ChatFailurePolicy.IsRetryable(ex, cancellationToken))
                            {
                                // Committed: text may already be on its way to the caller. Report the model, then propagate.
                                LogFailedMidStream(_logger, model, ChatFailurePolicy.Describe(ex), ex);
                                await RecordAsync(model, ex, cancellationToken);
                                throw;
                            }

                            if (!more)
                            {
                                break;
                            }

                            updates.Current.ModelId = model;
                            yield return updates.Current;
                        }
                    }

                    yield break;
                }
            }
            finally
            {
                await updates.DisposeAsync();
            }

            await FailedAsync(model, failure, failures, cancellationToken);
        }

        throw NoAnswer(failures);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>The backends are shared, not owned: nothing to dispose.</summary>
    public void Dispose()
    {
    }

    private IEnumerable<string> Attempted() => Candidates.Take(MaxAttempts);

    private static List<ChatMessage> Materialize(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return [.. messages];
    }

    private async Task FailedAsync(string model, Exception error, List<ModelFailure> failures, CancellationToken cancellationToken)
    {
        failures.Add(new ModelFailure(model, error));
        LogFailedOver(_logger, model, ChatFailurePolicy.Describe(error), failures.Count, error);
        await RecordAsync(model, error, cancellationToken);
    }

    private async Task RecordAsync(string model, Exception error, CancellationToken cancellationToken)
    {
        try
        {
            await _failures.RecordFailureAsync(model, error, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSinkFailed(_logger, model, ex);
        }
    }

    private ChatFailoverException NoAnswer(List<ModelFailure> failures)
    {
        if (failures.Count == 0)
        {
            return new ChatFailoverException(
                $"None of the ranked models has a configured backend: {string.Join(", ", Skipped)}.", failures);
        }

        var untried = Candidates.Count - failures.Count;
        return new ChatFailoverException(
            $"No model answered after {failures.Count} attempt(s) ({string.Join("; ", failures.Select(f => $"{f.Model}: {f.Reason}"))})"
            + (untried > 0 ? $"; {untried} more candidate(s) not tried (at most {MaxAttempts} attempts)." : "."),
            failures);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} failed ({Reason}) on attempt {Attempt}; trying the next-ranked model if any")]
    private static partial void LogFailedOver(ILogger logger, string model, string reason, int attempt, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} failed ({Reason}) after its answer had started streaming; not failing over")]
    private static partial void LogFailedMidStream(ILogger logger, string model, string reason, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the failure of model {Model}")]
    private static partial void LogSinkFailed(ILogger logger, string model, Exception error);
}
