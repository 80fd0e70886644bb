using Microsoft.Extensions.AI;

namespace RouterFunctions.Aggregation;

/// <summary>Tokens one model call consumed.</summary>
public readonly record struct TokenUsage(long InputTokens, long OutputTokens)
{
    /// <summary>The usage an <see cref="IChatClient"/> reported, or null when it reported none (the machine then estimates).</summary>
    public static TokenUsage? From(UsageDetails? usage) =>
        usage is { InputTokenCount: { } input, OutputTokenCount: { } output } ? new TokenUsage(input, output) : null;

    /// <summary>Approximate tokens of <paramref name="characters"/> characters, rounded up.</summary>
    public static long Approximate(long characters, int charsPerToken) => (characters + charsPerToken - 1) / charsPerToken;
}
