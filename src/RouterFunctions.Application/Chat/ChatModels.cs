namespace RouterFunctions.Application.Chat;

/// <summary>The model names a chat client can ask for besides the configured backends.</summary>
public static class ChatModels
{
    /// <summary>Routes on the conversation and calls the chosen model, failing over down the ranking.</summary>
    public const string Router = "router";

    /// <summary>Several models answer together (Router-R1 style), run in process for the request.</summary>
    public const string Aggregate = "router-r1";

    /// <summary>"router" or "router:&lt;policy&gt;".</summary>
    public static bool IsRouter(string? model) =>
        model == Router || model?.StartsWith(Router + ":", StringComparison.Ordinal) == true;

    /// <summary>The policy name of "router:&lt;policy&gt;", null for plain "router".</summary>
    public static string? PolicyOf(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Length > Router.Length ? model[(Router.Length + 1)..] : null;
    }
}
