using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RouterFunctions.Chat;

public static class ChatClientBuilderExtensions
{
    /// <summary>Adds the call's USD cost (usage × <paramref name="prices"/>) as <c>AdditionalProperties["cost"]</c>.</summary>
    public static ChatClientBuilder UseUsageCost(this ChatClientBuilder builder, ModelPrices prices)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new UsageCostChatClient(inner, prices));
    }

    /// <summary>Bounds each call by <paramref name="timeout"/> (see <see cref="CallTimeoutChatClient"/>).</summary>
    public static ChatClientBuilder UseCallTimeout(this ChatClientBuilder builder, TimeSpan timeout, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new CallTimeoutChatClient(inner, timeout, timeProvider));
    }

    /// <summary>
    /// Retries the same model after a 429 or 503 (see <see cref="ModelRetryChatClient"/>); with no retries
    /// (<see cref="ModelRetryOptions.Retries"/> 0) it adds nothing. Put it outside <see cref="UseCallTimeout"/> so each try gets the whole timeout.
    /// </summary>
    public static ChatClientBuilder UseModelRetry(this ChatClientBuilder builder, ModelRetryOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return options.Retries == 0
            ? builder
            : builder.Use((inner, services) => new ModelRetryChatClient(
                inner, options, timeProvider, services.GetService<ILoggerFactory>()?.CreateLogger<ModelRetryChatClient>()));
    }

    /// <summary>Answers under the router's <paramref name="name"/> for the model (see <see cref="ModelNameChatClient"/>).</summary>
    public static ChatClientBuilder UseModelName(this ChatClientBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new ModelNameChatClient(inner, name));
    }

    /// <summary>
    /// Puts the model's calls through its circuit breaker from <paramref name="health"/> (see
    /// <see cref="CircuitBreakerChatClient"/>); adds nothing when <paramref name="health"/> is null or has no breaker
    /// for <paramref name="model"/> (breakers off). Put it outside <see cref="UseModelRetry"/>, so a call retried and
    /// still failing counts once, and its last Retry-After holds the circuit.
    /// </summary>
    public static ChatClientBuilder UseCircuitBreaker(this ChatClientBuilder builder, BackendHealthMonitor? health, string model)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return health?.BreakerOf(model) is { } breaker ? builder.Use(inner => new CircuitBreakerChatClient(inner, breaker)) : builder;
    }
}
