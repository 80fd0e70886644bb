using System.Text.Json.Serialization;

namespace RouterFunctions.Core.Profiles;

/// <summary>How a group's queries are predicted; training picks one per group by cross-validation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GroupPrediction>))]
public enum GroupPrediction
{
    /// <summary>The profile's scorer (centroids or logistic heads): query-aware.</summary>
    Scorer,

    /// <summary>The group's per-model means for every query in it: the knob then traces the group's zero router.</summary>
    Means,

    /// <summary>Always the group's best single model (<see cref="GroupMode.Model"/>), with the group's means as predictions.</summary>
    Best,
}

/// <summary>One group's prediction mode; <see cref="Model"/> names the model for <see cref="GroupPrediction.Best"/>.</summary>
public sealed record GroupMode(GroupPrediction Mode, string? Model = null)
{
    public static GroupMode Scorer { get; } = new(GroupPrediction.Scorer);
}
