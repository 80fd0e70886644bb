using Microsoft.Extensions.AI;

namespace RouterFunctions.Aggregation;

/// <summary>
/// Runs a job in process over <see cref="IChatClient"/>s (local mode, the CLI replay): the same steps the serverless host
/// takes, with each round's calls made in parallel and their results recorded in search order.
/// </summary>
public static class AggregationRunner
{
    /// <param name="pool">The chat client for a pool model, by its pool name.</param>
    public static async Task<AggregationJob> RunAsync(
        AggregationJob job, AggregationStep step, IChatClient router, Func<string, IChatClient> pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(pool);
        while (true)
        {
            switch (step)
            {
                case Done:
                    return job;
                case AskRouter ask:
                    var response = await router.GetResponseAsync(
                        AggregationPrompts.RouterMessages(job), AggregationPrompts.RouterChatOptions(), cancellationToken);
                    step = AggregationMachine.OnRouterTurn(job, ask.CallId, response.Text, TokenUsage.From(response.Usage));
                    break;
                case CallModels fanOut:
                    var results = await Task.WhenAll(fanOut.Calls.Select(c => CallAsync(job.Options, c, pool(c.Model), cancellationToken)));
                    foreach (var (call, answer, usage, error) in results)
                    {
                        step = error is null
                            ? AggregationMachine.OnCallResult(job, call.CallId, answer!, usage)
                            : AggregationMachine.OnCallFailed(job, call.CallId, error);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Job {job.Id} cannot run from step {step}.");
            }
        }
    }

    private static async Task<(PoolCall Call, string? Answer, TokenUsage? Usage, string? Error)> CallAsync(
        AggregationOptions options, PoolCall call, IChatClient client, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetResponseAsync(AggregationPrompts.PoolMessages(call), AggregationPrompts.PoolChatOptions(options), cancellationToken);
            return (call, response.Text, TokenUsage.From(response.Usage), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (call, null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
