using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Embeddings;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>Options, the cached ONNX embedder, the profile store and the current-profile holder.</summary>
    public static IServiceCollection AddRouterFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RouterOptions>().Bind(configuration.GetSection(RouterOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OnnxEmbeddingOptions>().Bind(configuration.GetSection(OnnxEmbeddingOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OnnxEmbeddingOptionsValidation>();
        services.AddSingleton<IPostConfigureOptions<OnnxEmbeddingOptions>>(sp => sp.GetRequiredService<OnnxEmbeddingOptionsValidation>());
        services.AddSingleton<IValidateOptions<OnnxEmbeddingOptions>>(sp => sp.GetRequiredService<OnnxEmbeddingOptionsValidation>());

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LruEmbeddingCache(sp.GetRequiredService<IOptions<RouterOptions>>().Value.EmbeddingCacheCapacity));
        services.AddSingleton(sp => new OnnxEmbeddingGenerator(sp.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value));
        services.AddEmbeddingGenerator(sp => sp.GetRequiredService<OnnxEmbeddingGenerator>())
            .Use((inner, sp) => new CachingEmbeddingGenerator(inner, sp.GetRequiredService<LruEmbeddingCache>(), "memory"));
        // Relative paths are relative to the content root, which the Functions host and 'dotnet run' both set.
        services.AddSingleton<IProfileStore>(sp => new FileProfileStore(Path.Combine(
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath, sp.GetRequiredService<IOptions<RouterOptions>>().Value.ProfilePath)));
        services.AddSingleton<ProfileHolder>();
        return services;
    }
}
