using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Application.Retraining;
using RouterFunctions.Application.Routing;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Application.Simulation;

public static class SimulationServiceCollectionExtensions
{
    /// <summary>
    /// After <see cref="ServiceCollectionExtensions.AddRouterCore"/>: the use cases local mode runs (routing, feedback,
    /// ingestion, retraining) over the local queues, kept by the store's durable journal, and the simulation over them.
    /// Decisions are written straight to the store (no write-behind buffer or flusher: nothing runs in the background).
    /// </summary>
    public static IServiceCollection AddTrafficSimulation(this IServiceCollection services)
    {
        services.AddLocalMessaging();
        services.TryAddSingleton<RoutingService>();
        services.TryAddSingleton<SubmitFeedback>();
        services.TryAddSingleton<IngestFeedback>();
        services.TryAddSingleton<RetrainRunner>();
        services.TryAddSingleton<TrafficSimulation>();
        return services;
    }
}
