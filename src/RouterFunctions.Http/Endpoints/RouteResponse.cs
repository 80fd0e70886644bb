using RouterFunctions.Application.Routing;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Http.Endpoints;

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
    RouteTimings TimingsMs);
