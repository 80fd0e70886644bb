using Microsoft.Extensions.AI;

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

    /// <summary>Answers under the router's <paramref name="name"/> for the model (see <see cref="ModelNameChatClient"/>).</summary>
    public static ChatClientBuilder UseModelName(this ChatClientBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new ModelNameChatClient(inner, name));
    }
}
