using RouterFunctions.Application;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Application.Retraining;
using RouterFunctions.Messaging;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Local;

/// <summary>
/// Runs the consumers over the local queues with the semantics of a Service Bus trigger: a failure abandons the
/// message for a retry with DeliveryCount + 1, dead-lettering after the queue's maximum. The consumers are the same
/// as the deployed workers app calls; their follow-up messages come back through the local sender.
/// </summary>
internal sealed partial class QueueDispatcher(LocalQueues queues, IServiceProvider services, TimeProvider time, ILogger<QueueDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Messages left by an earlier process are on the queues at start: consuming them before the profile is loaded
        // would store their events without counting them (statistics are per loaded profile version).
        try
        {
            await (services.GetService<ProfileStartup>()?.Completion ?? Task.CompletedTask).WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await Task.WhenAll(
            PumpAsync(queues.Feedback, (d, ct) => services.GetRequiredService<IngestFeedback>().HandleAsync(d, ct), stoppingToken),
            PumpAsync(queues.Retrain, (d, ct) => services.GetRequiredService<RetrainRunner>().HandleAsync([d], ct), stoppingToken),
            PumpAsync(queues.Aggregate, (d, ct) => services.GetRequiredService<AggregationService>().HandleAsync(d, ct), stoppingToken));
    }

    private async Task PumpAsync(InProcessQueue queue, Func<QueueDelivery, CancellationToken, Task> consume, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in queue.ReceiveAllAsync(stoppingToken))
            {
                await DeliverAsync(queue, consume, message, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(InProcessQueue queue, Func<QueueDelivery, CancellationToken, Task> consume, LocalMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await consume(new QueueDelivery(message.Body, message.MessageId, message.DeliveryCount), stoppingToken);
            queue.Complete(message);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            if (message.DeliveryCount >= queue.MaxDeliveryCount)
            {
                LogDeadLettered(logger, queue.Name, message.MessageId, message.DeliveryCount, e.Message);
                queue.DeadLetter(message, e.Message);
                return;
            }

            LogRetry(logger, queue.Name, message.MessageId, message.DeliveryCount, e.Message);
            _ = RetryLaterAsync(queue, message, stoppingToken);
        }
    }

    // Abandoned messages come back after a pause, as with Service Bus's lock expiry, without blocking the queue.
    private async Task RetryLaterAsync(InProcessQueue queue, LocalMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RetryDelay * message.DeliveryCount, time, stoppingToken);
            queue.Retry(message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: message {MessageId} failed at delivery {DeliveryCount}, will retry: {Error}")]
    private static partial void LogRetry(ILogger logger, string queue, string messageId, int deliveryCount, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Queue}: message {MessageId} dead-lettered after {DeliveryCount} deliveries: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, string queue, string messageId, int deliveryCount, string error);
}
