using System.Text.Json;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Handler.Aggregation;

namespace RouterFunctions.Handler.Functions;

/// <summary>
/// Runs a non-HTTP function from the host's invocation payload. The host calls it through POST /{FunctionName};
/// local mode's in-process queues call it directly with the same payload, so both go through the same decoding.
/// </summary>
internal sealed class FunctionInvoker(FeedbackIntake intake, FeedbackIngestion ingestion, RetrainRunner retrain, AggregationService aggregation)
{
    public static IReadOnlyList<string> Functions { get; } =
        [FunctionNames.Feedback, FunctionNames.IngestFeedback, FunctionNames.RetrainProfiles, FunctionNames.RetrainTimer, FunctionNames.Aggregate, FunctionNames.AggregateStep];

    public async Task<FunctionResult> InvokeAsync(string function, JsonElement payload, CancellationToken cancellationToken)
    {
        switch (function)
        {
            case FunctionNames.Feedback:
                var accepted = await intake.AcceptAsync(HostPayload.HttpBody(payload, FunctionNames.HttpTrigger), cancellationToken);
                return new FunctionResult()
                    .WithHttp(FunctionNames.HttpOutput, accepted.Status, accepted.Body, accepted.Status < 300 ? "application/json" : "application/problem+json")
                    .Send(FunctionNames.FeedbackOutput, accepted.Event is null ? [] : [accepted.Event]);
            case FunctionNames.IngestFeedback:
                var result = new FunctionResult();
                foreach (var delivery in HostPayload.ServiceBus(payload, FunctionNames.QueueTrigger))
                {
                    Merge(result, await ingestion.HandleAsync(delivery, cancellationToken));
                }

                return result;
            case FunctionNames.RetrainProfiles:
                var reasons = HostPayload.ServiceBus(payload, FunctionNames.QueueTrigger).Select(d => ReasonOf(d.Body)).Distinct();
                return Log(await retrain.RunAsync(string.Join("; ", reasons), cancellationToken));
            case FunctionNames.RetrainTimer:
                return Log(await retrain.RunAsync("schedule", cancellationToken));
            case FunctionNames.Aggregate:
                var started = await AggregationEndpoints.StartAsync(aggregation, HostPayload.HttpBody(payload, FunctionNames.HttpTrigger), cancellationToken);
                return new FunctionResult()
                    .WithHttp(FunctionNames.HttpOutput, started.Status, started.Body, started.Status < 300 ? "application/json" : "application/problem+json")
                    .Send(FunctionNames.CallsOutput, [.. started.Messages]);
            case FunctionNames.AggregateStep:
                var next = new List<object>();
                var dropped = new List<string>();
                foreach (var delivery in HostPayload.ServiceBus(payload, FunctionNames.QueueTrigger))
                {
                    if (CallOf(delivery.Body) is { } message)
                    {
                        next.AddRange(await aggregation.StepAsync(message, cancellationToken));
                    }
                    else
                    {
                        dropped.Add($"dropped message {delivery.MessageId}: not a call of a job ({{\"jobId\", \"callId\"}})");
                    }
                }

                var stepped = new FunctionResult().Send(FunctionNames.CallsOutput, next);
                stepped.Logs.AddRange(dropped);
                return stepped;
            default:
                throw new KeyNotFoundException(function);
        }
    }

    // A message that is not a call of a job (unreadable, or without its ids) is dropped: redelivering it cannot help.
    private static AggregateCallMessage? CallOf(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<AggregateCallMessage>(body, FeedbackIntake.Json) is { JobId.Length: > 0, CallId.Length: > 0 } message ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Any message on the retrain queue asks for a retrain; its reason is only for the record.
    private static string ReasonOf(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<RetrainRequest>(body, FeedbackIntake.Json)?.Reason ?? "requested";
        }
        catch (JsonException)
        {
            return "requested";
        }
    }

    private static FunctionResult Log(RetrainOutcome outcome)
    {
        var result = new FunctionResult { ReturnValue = outcome };
        result.Logs.Add(outcome.Why);
        return result;
    }

    private static void Merge(FunctionResult into, FunctionResult from)
    {
        foreach (var (binding, value) in from.Outputs)
        {
            into.Outputs[binding] = into.Outputs.TryGetValue(binding, out var existing) && existing is IReadOnlyList<object> list && value is IReadOnlyList<object> more
                ? list.Concat(more).ToList()
                : value;
        }

        into.Logs.AddRange(from.Logs);
    }
}
