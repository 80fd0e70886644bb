using RouterFunctions.Messaging;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Application.Simulation;

/// <summary>
/// Consumes a local queue until everything sent to it is settled, in the caller's own flow instead of the local
/// host's background pump, so a simulation is deterministic. The settlement is the dispatcher's: a consumer that
/// throws gets the message again with its delivery count raised, and it is dead-lettered at the queue's maximum.
/// </summary>
internal sealed class QueueDrain(InProcessQueue queue, CancellationToken cancellationToken) : IAsyncDisposable
{
    private readonly IAsyncEnumerator<LocalMessage> _messages = queue.ReceiveAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Hands each waiting message to <paramref name="consume"/> on its own.</summary>
    public async Task DrainAsync(Func<QueueDelivery, Task> consume)
    {
        while (queue.Pending > 0)
        {
            var message = await NextAsync();
            await SettleAsync([message], batch => consume(batch[0]));
        }
    }

    /// <summary>Hands every waiting message to <paramref name="consume"/> at once (a retrain serves all its requests).</summary>
    public async Task DrainAllAsync(Func<IReadOnlyList<QueueDelivery>, Task> consume)
    {
        while (queue.Pending > 0)
        {
            var batch = new List<LocalMessage>();
            for (var i = queue.Pending; i > 0; i--)
            {
                batch.Add(await NextAsync());
            }

            await SettleAsync(batch, consume);
        }
    }

    public ValueTask DisposeAsync() => _messages.DisposeAsync();

    private async Task<LocalMessage> NextAsync() =>
        await _messages.MoveNextAsync() ? _messages.Current : throw new OperationCanceledException(cancellationToken);

    private async Task SettleAsync(IReadOnlyList<LocalMessage> batch, Func<IReadOnlyList<QueueDelivery>, Task> consume)
    {
        try
        {
            await consume([.. batch.Select(m => new QueueDelivery(m.Body, m.MessageId, m.DeliveryCount))]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            foreach (var message in batch)
            {
                if (message.DeliveryCount >= queue.MaxDeliveryCount)
                {
                    queue.DeadLetter(message, e.Message);
                }
                else
                {
                    queue.Retry(message);
                }
            }

            return;
        }

        foreach (var message in batch)
        {
            queue.Complete(message);
        }
    }
}
