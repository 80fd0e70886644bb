using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat;

/// <summary>Keys this layer puts into <c>AdditionalProperties</c> of responses and updates, and typed readers.</summary>
public static class ChatResponseProperties
{
    /// <summary>USD of the call (a <see cref="double"/>), from the usage × the model's prices.</summary>
    public const string Cost = "cost";

    /// <summary>The model id the provider reported (e.g. a dated version), where <c>ModelId</c> says the router's name.</summary>
    public const string ProviderModel = "provider_model";

    /// <summary>How many models the failover tried for this answer (an <see cref="int"/>, 1 when the first answered).</summary>
    public const string Attempts = "attempts";

    /// <summary><c>true</c> on every response and update of a <see cref="ChatModelKind.Simulated"/> model: no model answered.</summary>
    public const string Simulated = "simulated";

    /// <summary>The <see cref="ChatRoute"/> a routed answer followed (on the response, and on the first streaming update); absent on a pass-through.</summary>
    public const string Route = "router.route";

    /// <summary>The route of a routed response, or null (a pass-through, or not from <see cref="RoutingChatClient"/>).</summary>
    public static ChatRoute? GetRoute(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(Route, out ChatRoute? route) == true ? route : null;
    }

    /// <summary>The route a streaming update carries (the first one of a routed answer), or null.</summary>
    public static ChatRoute? GetRoute(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.AdditionalProperties?.TryGetValue(Route, out ChatRoute? route) == true ? route : null;
    }

    /// <summary>The call's USD cost, or null when the provider reported no usage.</summary>
    public static double? GetCost(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(Cost, out double cost) == true ? cost : null;
    }

    /// <summary>The cost an update carries (the one with the final usage), or null.</summary>
    public static double? GetCost(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.AdditionalProperties?.TryGetValue(Cost, out double cost) == true ? cost : null;
    }
}
