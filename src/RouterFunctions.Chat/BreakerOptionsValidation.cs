using Microsoft.Extensions.Options;

namespace RouterFunctions.Chat;

/// <summary>Fails start-up on breaker settings Polly would reject at the first call (or that make no sense), naming each.</summary>
public sealed class BreakerOptionsValidation : IValidateOptions<BreakerOptions>
{
    public ValidateOptionsResult Validate(string? name, BreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Where = BreakerOptions.SectionName;
        if (!double.IsFinite(options.FailureRatio) || options.FailureRatio <= 0 || options.FailureRatio > 1)
        {
            errors.Add($"{Where}:FailureRatio {options.FailureRatio} must be more than 0 and at most 1 (a share of calls, e.g. 0.5).");
        }

        if (options.MinimumThroughput is < 2 or > 100_000)
        {
            errors.Add($"{Where}:MinimumThroughput {options.MinimumThroughput} must be 2 to 100000 (calls in the sampling window).");
        }

        CheckDuration(errors, $"{Where}:SamplingDuration", options.SamplingDuration);
        CheckDuration(errors, $"{Where}:BreakDuration", options.BreakDuration);
        if (options.MaxRetryAfter < TimeSpan.Zero || options.MaxRetryAfter > BreakerOptions.MaxDuration)
        {
            errors.Add($"{Where}:MaxRetryAfter {options.MaxRetryAfter} must be 0 to {BreakerOptions.MaxDuration} (written hh:mm:ss).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckDuration(List<string> errors, string key, TimeSpan value)
    {
        if (value < BreakerOptions.MinDuration || value > BreakerOptions.MaxDuration)
        {
            errors.Add($"{key} {value} must be at least {BreakerOptions.MinDuration.TotalMilliseconds} ms and at most {BreakerOptions.MaxDuration} (written hh:mm:ss: '00:00:30' is 30 s, '30' would be 30 days).");
        }
    }
}
