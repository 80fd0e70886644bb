using System.Text.Json;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Application.Retraining;

namespace RouterFunctions.Workers.Functions;

/// <summary>
/// Runs a consumer from the host's invocation payload: decode the Service Bus message(s), call the application's
/// consumer, encode its outcome as log lines. A consumer's exception fails the invocation (the host abandons the
/// message and Service Bus redelivers it); the consumers park what cannot succeed, so nothing loops for ever.
/// </summary>
internal sealed class FunctionInvoker(IngestFeedback ingestion, RetrainRunner retrain, AggregationService aggregation)
{
    public async Task<FunctionResult> InvokeAsync(string function, JsonElement payload, CancellationToken cancellationToken)
    {
        var deliveries = HostPayload.ServiceBus(payload, FunctionNames.QueueTrigger);
        var result = new FunctionResult();
        switch (function)
        {
            case FunctionNames.IngestFeedback:
                foreach (var delivery in deliveries)
                {
                    result.Logs.Add($"feedback {delivery.MessageId}: {await ingestion.HandleAsync(delivery, cancellationToken)}");
                }

                break;
            case FunctionNames.RetrainProfiles:
                var outcome = await retrain.HandleAsync(deliveries, cancellationToken);
                result.ReturnValue = outcome;
                result.Logs.Add(outcome.Why);
                break;
            case FunctionNames.AggregateStep:
                foreach (var delivery in deliveries)
                {
                    if (!await aggregation.HandleAsync(delivery, cancellationToken))
                    {
                        result.Logs.Add($"dropped message {delivery.MessageId}: not a call of a job ({{\"jobId\", \"callId\"}})");
                    }
                }

                break;
            default:
                throw new KeyNotFoundException(function);
        }

        return result;
    }
}
