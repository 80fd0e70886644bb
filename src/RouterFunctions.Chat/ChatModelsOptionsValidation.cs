using Microsoft.Extensions.Options;

namespace RouterFunctions.Chat;

/// <summary>Fails start-up on a model list that would fail at the first request, naming every problem at once.</summary>
public sealed class ChatModelsOptionsValidation : IValidateOptions<ChatModelsOptions>
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, ChatModelsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        for (var i = 0; i < options.Models.Count; i++)
        {
            var model = options.Models[i];
            var where = $"{ChatModelsOptions.SectionName}:{i}";
            if (string.IsNullOrWhiteSpace(model.Name))
            {
                errors.Add($"{where}: Name is required (the model name the routing profile uses).");
            }
            else if (model.Name != model.Name.Trim())
            {
                errors.Add($"{where}: Name '{model.Name}' has leading or trailing white space.");
            }

            if (!Enum.IsDefined(model.Kind))
            {
                errors.Add($"{where}: Kind must be {string.Join(" or ", Enum.GetNames<ChatModelKind>())}.");
            }

            if (model.Kind == ChatModelKind.Simulated)
            {
                // A simulated model calls nothing, so it needs no Endpoint; its simulation settings are checked instead.
                CheckSimulation(errors, where, model.Name, model.Simulation ?? new SimulationOptions());
            }
            else
            {
                if (!Uri.TryCreate(model.Endpoint, UriKind.Absolute, out var endpoint)
                    || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
                {
                    errors.Add($"{where} ({model.Name}): Endpoint '{model.Endpoint}' must be an absolute http or https URI.");
                }

                if (model.Simulation is not null)
                {
                    // Silently ignoring it would let a real model look like it injects failures (or a simulated one look real).
                    errors.Add($"{where} ({model.Name}): Simulation applies only to Kind {nameof(ChatModelKind.Simulated)}; remove it or set Kind to {nameof(ChatModelKind.Simulated)}.");
                }
            }

            if (model.Model is { } id && string.IsNullOrWhiteSpace(id))
            {
                errors.Add($"{where} ({model.Name}): Model is blank; leave it out to use the name.");
            }

            CheckPrice(errors, where, model.Name, nameof(model.InputPricePerMillion), model.InputPricePerMillion);
            CheckPrice(errors, where, model.Name, nameof(model.OutputPricePerMillion), model.OutputPricePerMillion);
            if (model.Timeout < CallTimeoutChatClient.MinTimeout || model.Timeout > MaxTimeout)
            {
                errors.Add($"{where} ({model.Name}): Timeout {model.Timeout} must be at least {CallTimeoutChatClient.MinTimeout.TotalMilliseconds} ms and at most {MaxTimeout} (written hh:mm:ss: '00:00:30' is 30 s, '30' would be 30 days).");
            }

            if (model.Retries is < 0 or > ChatModelOptions.MaxRetries)
            {
                errors.Add($"{where} ({model.Name}): Retries {model.Retries} must be 0 to {ChatModelOptions.MaxRetries}.");
            }

            if (model.RetryBaseDelay <= TimeSpan.Zero || model.RetryMaxDelay < model.RetryBaseDelay || model.RetryMaxDelay > MaxTimeout)
            {
                errors.Add($"{where} ({model.Name}): RetryBaseDelay {model.RetryBaseDelay} must be positive and RetryMaxDelay {model.RetryMaxDelay} at least that and at most {MaxTimeout}.");
            }
        }

        foreach (var duplicate in options.Models.Where(m => !string.IsNullOrWhiteSpace(m.Name))
                     .GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"{ChatModelsOptions.SectionName}: the name '{duplicate.Key}' is used {duplicate.Count()} times (names are unique, ignoring case).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckSimulation(List<string> errors, string where, string model, SimulationOptions simulation)
    {
        if (simulation.LatencyMs < 0 || simulation.LatencyMs > MaxTimeout.TotalMilliseconds)
        {
            errors.Add($"{where} ({model}): Simulation:LatencyMs {simulation.LatencyMs} must be 0 to {MaxTimeout.TotalMilliseconds} (milliseconds).");
        }

        var rates = new[]
        {
            (nameof(SimulationOptions.FailureRate429), simulation.FailureRate429),
            (nameof(SimulationOptions.FailureRate5xx), simulation.FailureRate5xx),
            (nameof(SimulationOptions.TimeoutRate), simulation.TimeoutRate),
        };
        var valid = true;
        foreach (var (property, rate) in rates)
        {
            if (!double.IsFinite(rate) || rate < 0 || rate > 1)
            {
                errors.Add($"{where} ({model}): Simulation:{property} {rate} must be a fraction of calls from 0 to 1.");
                valid = false;
            }
        }

        var sum = rates.Sum(r => r.Item2);
        if (valid && sum > 1 + 1e-9)
        {
            errors.Add($"{where} ({model}): Simulation failure rates add up to {sum} ({string.Join(" + ", rates.Select(r => r.Item1))}); together they must be at most 1.");
        }
    }

    private static void CheckPrice(List<string> errors, string where, string model, string property, double value)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            errors.Add($"{where} ({model}): {property} {value} must be a finite number of USD, zero or more.");
        }
    }
}
