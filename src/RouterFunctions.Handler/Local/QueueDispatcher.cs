using System.Text.Json;
using System.Text.Json.Nodes;
using RouterFunctions.Handler.Functions;

namespace RouterFunctions.Handler.Local;

/// <summary>
/// Delivers local queue messages to their functions exactly as the Functions host would: the same invocation payload
/// (body as a JSON string, string metadata encoded twice, numbers as strings), a failure abandons the message for a
/// retry with DeliveryCount + 1, and output bindings are sent on to their queues.
/// </summary>
internal sealed partial class QueueDispatcher(LocalQueues queues, IServiceProvider services, ILogger<QueueDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(queues.Triggers.Select(t => PumpAsync(t.Queue, t.Function, stoppingToken)));

    public static JsonElement Payload(LocalMessage message, string binding) => JsonSerializer.SerializeToElement(new JsonObject
    {
        ["Data"] = new JsonObject { [binding] = message.Body },
        ["Metadata"] = new JsonObject
        {
            ["DeliveryCount"] = message.DeliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MessageId"] = JsonSerializer.Serialize(message.MessageId),
            ["ContentType"] = JsonSerializer.Serialize("application/json"),
        },
    });

    private async Task PumpAsync(InProcessQueue queue, string function, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(queue, function, message, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(InProcessQueue queue, string function, LocalMessage message, CancellationToken stoppingToken)
    {
        try
        {
            var invoker = services.GetRequiredService<FunctionInvoker>();
            var result = await invoker.InvokeAsync(function, Payload(message, FunctionNames.QueueTrigger), stoppingToken);
            foreach (var (binding, value) in result.Outputs)
            {
                foreach (var item in value as IEnumerable<object> ?? [])
                {
                    queues.ForOutput(binding)?.Send(JsonSerializer.Serialize(item, FeedbackIntake.Json));
                }
            }

            queue.Complete();
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
    private static async Task RetryLaterAsync(InProcessQueue queue, LocalMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RetryDelay * message.DeliveryCount, stoppingToken);
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
