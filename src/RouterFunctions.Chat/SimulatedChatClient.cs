using System.ClientModel;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat;

/// <summary>
/// A failure injected by <see cref="SimulatedChatClient"/>: a <see cref="ClientResultException"/> with the HTTP status a
/// real provider would have answered, so <see cref="ChatFailurePolicy"/> and the retry and failover decorators treat
/// it exactly like one.
/// </summary>
public sealed class SimulatedFailureException : ClientResultException
{
    public SimulatedFailureException(string message, int status)
        : base(message)
    {
        Status = status;
    }
}

/// <summary>
/// The backend of a <see cref="ChatModelKind.Simulated"/> model: no network, answers that are a function of the model
/// and the conversation (<see cref="SimulatedAnswers"/>, valid Router-R1 turns for the aggregation prompts), usage of
/// about one token per four characters, <see cref="SimulationOptions.LatencyMs"/> of latency on the injected clock, and
/// injected 429s, 503s and timeouts at the configured rates. Every response and update says it is simulated: the text
/// starts with <c>[simulated MODEL]</c> (inside the first <c>&lt;think&gt;</c> of a decomposition plan) and
/// <c>AdditionalProperties["simulated"]</c> is true.
/// </summary>
public sealed class SimulatedChatClient : IChatClient
{
    /// <summary>Characters per token of the usage it reports (the aggregation machine's estimate too).</summary>
    public const int CharsPerToken = 4;

    /// <summary>How many text updates a streamed answer is cut into (at spaces), before the usage update.</summary>
    public const int StreamChunks = 4;

    private readonly SimulationOptions _simulation;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private long _calls;

    /// <param name="model">The model id it answers as (and names in every answer).</param>
    /// <param name="simulation">Latency and failure rates.</param>
    /// <param name="timeout">The model's call timeout: an injected timeout waits twice that, so the timeout decorator fires first.</param>
    /// <param name="timeProvider">Clock of the latency and of the injected timeouts.</param>
    public SimulatedChatClient(string model, SimulationOptions simulation, TimeSpan timeout, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(simulation);
        Model = model;
        _simulation = simulation;
        _timeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
    }

    public string Model { get; }

    /// <summary>Calls made so far (each draws its failure from its number).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = Materialize(messages);
        await StartCallAsync(cancellationToken);
        var (text, finish) = Answer(conversation, options);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text) { MessageId = IdOf(conversation) })
        {
            ResponseId = IdOf(conversation),
            ModelId = Model,
            CreatedAt = _time.GetUtcNow(),
            FinishReason = finish,
            Usage = UsageOf(conversation, text),
            AdditionalProperties = Marked(),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversation = Materialize(messages);
        await StartCallAsync(cancellationToken);
        var (text, finish) = Answer(conversation, options);
        var id = IdOf(conversation);
        var created = _time.GetUtcNow();
        foreach (var chunk in Chunks(text, StreamChunks))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Update(new ChatResponseUpdate(ChatRole.Assistant, chunk));
        }

        // Like OpenAI's final chunk with include_usage: the finish reason and the usage, no text.
        yield return Update(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(UsageOf(conversation, text))]) { FinishReason = finish });

        ChatResponseUpdate Update(ChatResponseUpdate update)
        {
            update.ResponseId = id;
            update.MessageId = id;
            update.ModelId = Model;
            update.CreatedAt = created;
            update.AdditionalProperties = Marked();
            return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("simulated", null, Model)
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
    }

    /// <summary>
    /// The fraction in [0, 1) that decides call <paramref name="call"/>'s fate: a hash of the seed, the model and the
    /// call number, so every run with the same seed fails the same calls.
    /// </summary>
    internal static double Draw(int seed, string model, long call)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{seed}|{model}|{call}")));
        return (BitConverter.ToUInt64(hash, 0) >> 11) / (double)(1UL << 53);
    }

    /// <summary><paramref name="text"/> cut at spaces into at most <paramref name="count"/> pieces that concatenate back to it.</summary>
    internal static IEnumerable<string> Chunks(string text, int count)
    {
        var start = 0;
        for (var i = 1; i < count; i++)
        {
            var cut = text.IndexOf(' ', Math.Max(start, text.Length * i / count));
            if (cut < 0)
            {
                break;
            }

            yield return text[start..(cut + 1)];
            start = cut + 1;
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static List<ChatMessage> Materialize(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return [.. messages];
    }

    /// <summary>Latency, then the call's injected failure, if any.</summary>
    private async Task StartCallAsync(CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        if (_simulation.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(_simulation.LatencyMs), _time, cancellationToken);
        }

        var draw = Draw(_simulation.Seed, Model, call);
        var s = _simulation;
        if (draw < s.FailureRate429)
        {
            throw new SimulatedFailureException($"Simulated 429 Too Many Requests from '{Model}' (Simulation:FailureRate429 {s.FailureRate429}).", 429);
        }

        if (draw < s.FailureRate429 + s.FailureRate5xx)
        {
            throw new SimulatedFailureException($"Simulated 503 Service Unavailable from '{Model}' (Simulation:FailureRate5xx {s.FailureRate5xx}).", 503);
        }

        if (draw < s.FailureRate429 + s.FailureRate5xx + s.TimeoutRate)
        {
            // A model that never answers: the timeout decorator cancels this wait at the model's Timeout; used bare,
            // it ends in the same exception that decorator throws.
            await Task.Delay(_timeout * 2, _time, cancellationToken);
            throw new ChatTimeoutException($"Simulated timeout: '{Model}' did not answer (Simulation:TimeoutRate {s.TimeoutRate}).");
        }
    }

    private (string Text, ChatFinishReason Finish) Answer(List<ChatMessage> conversation, ChatOptions? options)
    {
        var text = SimulatedAnswers.Reply(Model, conversation);
        if (options?.MaxOutputTokens is > 0 and var max && text.Length > (long)max * CharsPerToken)
        {
            return (text[..(max * CharsPerToken)], ChatFinishReason.Length);
        }

        return (text, ChatFinishReason.Stop);
    }

    private static UsageDetails UsageOf(List<ChatMessage> conversation, string text)
    {
        var input = Tokens(conversation.Sum(m => (long)m.Text.Length));
        var output = Tokens(text.Length);
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }

    private static long Tokens(long chars) => (chars + CharsPerToken - 1) / CharsPerToken;

    private string IdOf(List<ChatMessage> conversation) => "sim-" + SimulatedAnswers.Hash(Model, conversation).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static AdditionalPropertiesDictionary Marked() => new() { [ChatResponseProperties.Simulated] = true };
}
