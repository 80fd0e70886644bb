using RouterFunctions.Application.Routing;
using RouterFunctions.Chat;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Http.Endpoints;

/// <summary>POST /api/route's answer.</summary>
/// <param name="Excluded">Models left out because their circuit is open: model, reason, until (when a probe is let through).</param>
/// <param name="Escalated">Null, or why <see cref="Model"/> was chosen although its circuit is open ("all backends open").</param>
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
    string? Escalated);
