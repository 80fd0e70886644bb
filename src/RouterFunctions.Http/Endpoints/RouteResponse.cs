using RouterFunctions.Application.Routing;
using RouterFunctions.Chat;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Http.Endpoints;

/// <summary>POST /api/route's answer.</summary>
/// <param name="Excluded">Models left out because their circuit is open: model, reason, until (when a probe is let through).</param>
/// <param name="Escalated">Null, or why <see cref="Model"/> was chosen although its circuit is open ("all backends open").</param>
/// <param name="Propensity">The probability that the router chose <see cref="Model"/>: 1 unless exploration is on (Router:Exploration).</param>
/// <param name="Explored">Whether exploration replaced the best pick (the candidates' first).</param>
public sealed record RouteResponse(
    string RequestId,
    string Model,
    IReadOnlyList<Candidate> Candidates,
    int Cluster,
    double Distance,
    bool OutOfDistribution,
    int ProfileVersion,
    string Cache,
    string Storage,
    RouteTimings TimingsMs,
    IReadOnlyList<BackendExclusion> Excluded,
    string? Escalated,
    double Propensity,
    bool Explored)
{
    /// <summary>
    /// Quality and utility to 4 decimals, cost (USD, around 1e-4) to 8: more than the estimates hold, and writing a full
    /// double's shortest round-trip form was the costliest part of this answer's JSON.
    /// </summary>
    public static Candidate Rounded(Candidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return new(candidate.Model, Math.Round(candidate.PredictedQuality, 4), Math.Round(candidate.PredictedCost, 8), Math.Round(candidate.Utility, 4));
    }
}
