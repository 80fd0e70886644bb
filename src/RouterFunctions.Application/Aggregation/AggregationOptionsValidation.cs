using Microsoft.Extensions.Options;
using RouterFunctions.Aggregation;

namespace RouterFunctions.Application.Aggregation;

/// <summary>Section "Aggregation" is the state machine's own <see cref="AggregationOptions"/>: its rules, checked at start.</summary>
internal sealed class AggregationOptionsValidation : IValidateOptions<AggregationOptions>
{
    public ValidateOptionsResult Validate(string? name, AggregationOptions options) =>
        options.Validate() is { } bad ? ValidateOptionsResult.Fail($"Aggregation:{bad.Field} {bad.Problem}") : ValidateOptionsResult.Success;
}
