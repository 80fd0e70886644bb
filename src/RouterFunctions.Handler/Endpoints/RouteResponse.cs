using RouterFunctions.Core.Routing;

namespace RouterFunctions.Handler.Endpoints;

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

public sealed record RouteTimings(double Embed, double Score, double Total);
