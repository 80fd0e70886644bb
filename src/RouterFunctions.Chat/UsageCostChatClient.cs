using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat;

/// <summary>
/// Prices each call: <c>AdditionalProperties["cost"]</c> = the response's usage × the model's prices, in USD. When
/// streaming, the update that carries the usage (OpenAI's final chunk, asked for with <c>include_usage</c>) carries
/// the cost. A response without usage gets no cost rather than a made-up zero.
/// </summary>
public sealed class UsageCostChatClient(IChatClient innerClient, ModelPrices prices) : DelegatingChatClient(innerClient)
{
    public ModelPrices Prices { get; } = prices;

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        if (response.Usage is { } usage)
        {
            (response.AdditionalProperties ??= [])[ChatResponseProperties.Cost] = Prices.CostOf(usage);
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            var usage = update.Contents.OfType<UsageContent>().FirstOrDefault();
            if (usage is not null)
            {
                (update.AdditionalProperties ??= [])[ChatResponseProperties.Cost] = Prices.CostOf(usage.Details);
            }

            yield return update;
        }
    }
}
