using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouterFunctions.Aggregation;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Application.Chat;
using RouterFunctions.Application.Configuration;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Application.Retention;
using RouterFunctions.Application.Retraining;
using RouterFunctions.Application.Routing;
using RouterFunctions.Application.Status;
using RouterFunctions.Chat;
using RouterFunctions.Core.Embeddings;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Embeddings.Onnx;
using RouterFunctions.Messaging.Local;
using RouterFunctions.Storage;
using RouterFunctions.Storage.Local;
using RouterFunctions.Storage.Stores;

namespace RouterFunctions.Application;

/// <summary>The composition entry point: every host (the Functions app, the workers, the local router) and the CLI start here.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Options (validated at start), the one Azure credential, the cached ONNX embedder, the stores, the model
    /// backends, the profile holder with its loading and polling services, and the use cases. The host adds the
    /// messaging adapter (<c>AddLocalMessaging</c> or <c>AddServiceBusMessaging</c>): which queues exist is the host's
    /// concern, not the use cases'.
    /// </summary>
    public static IServiceCollection AddRouterApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRouterCore(configuration);
        // The one chat client: routing + failover, with OpenTelemetry spans (prompts and answers are not recorded).
        services.AddRoutingChatClient(configuration).UseOpenTelemetry(sourceName: RouterTelemetry.Name);
        services.AddSingleton<ProfileChatRouter>();
        services.AddSingleton<IChatRouter>(sp => sp.GetRequiredService<ProfileChatRouter>());
        services.TryAddSingleton<IModelFailureSink, FailedFeedbackSink>();
        services.AddSingleton<ChatCompletions>();
        services.AddOptions<AggregationOptions>().Bind(configuration.GetSection("Aggregation")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AggregationOptions>, AggregationOptionsValidation>());

        services.AddSingleton<ProfileStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<ProfileStartup>());
        services.AddHostedService<ProfileWatcher>();

        // Hosts route: decisions go through the write-behind buffer (this registration wins over the store's), written
        // by its hosted flusher; retention purges through PurgeExpired (a timer in each host).
        services.AddSingleton(sp => new WriteBehindDecisionLog(
            sp.GetRequiredService<TableDecisionLog>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.DecisionBufferCapacity,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WriteBehindDecisionLog>>(),
            TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DecisionFlushLingerMs)));
        services.AddSingleton<IDecisionLog>(sp => sp.GetRequiredService<WriteBehindDecisionLog>());
        services.AddHostedService<DecisionFlusher>();
        services.AddSingleton<PurgeExpired>();

        services.AddSettings<ExplorationOptions>(configuration, ExplorationOptions.SectionName);
        services.AddSingleton<Explorer>();
        services.AddSingleton<RoutingService>();
        services.AddSingleton<RouteQuery>();
        services.AddSingleton<SubmitFeedback>();
        services.AddSingleton<FeedbackPublisher>();
        services.AddSingleton<IngestFeedback>();
        services.AddSingleton<RetrainRunner>();
        services.AddSingleton<RetrainRequests>();
        services.AddSingleton<AggregationService>();
        services.AddSingleton<StatusViews>();
        services.AddSingleton<DecisionTally>();
        services.AddSingleton<StatsView>();
        return services;
    }

    /// <summary>Options, the credential, the cached ONNX embedder, the stores and the profile holder: what the CLI needs too.</summary>
    public static IServiceCollection AddRouterCore(this IServiceCollection services, IConfiguration configuration)
    {
        // Relative paths in settings resolve against where the user stands (RelativePathBase), checked at start.
        services.TryAddSingleton(_ => RelativePathBase.Current());
        services.AddSettings<RouterOptions>(configuration, RouterOptions.SectionName);
        services.AddSingleton<RouterOptionsValidation>();
        services.AddSingleton<IPostConfigureOptions<RouterOptions>>(sp => sp.GetRequiredService<RouterOptionsValidation>());
        services.AddSingleton<IValidateOptions<RouterOptions>>(sp => sp.GetRequiredService<RouterOptionsValidation>());
        services.AddSettings<FeedbackOptions>(configuration, FeedbackOptions.SectionName);
        services.AddSettings<OnnxEmbeddingOptions>(configuration, OnnxEmbeddingOptions.SectionName);
        services.AddSingleton<OnnxEmbeddingOptionsValidation>();
        services.AddSingleton<IPostConfigureOptions<OnnxEmbeddingOptions>>(sp => sp.GetRequiredService<OnnxEmbeddingOptionsValidation>());
        services.AddSingleton<IValidateOptions<OnnxEmbeddingOptions>>(sp => sp.GetRequiredService<OnnxEmbeddingOptionsValidation>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => AzureCredentials.Create(configuration));
        services.AddSingleton(sp => new LruEmbeddingCache(sp.GetRequiredService<IOptions<RouterOptions>>().Value.EmbeddingCacheCapacity));
        services.AddSingleton(sp => new OnnxEmbeddingGenerator(sp.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        // Tiers, outermost first (the builder's order): this instance's LRU, the shared table (deployed only), the model.
        services.AddEmbeddingGenerator(sp => sp.GetRequiredService<OnnxEmbeddingGenerator>())
            .Use((inner, sp) => new CachingEmbeddingGenerator(inner, sp.GetRequiredService<LruEmbeddingCache>(), "memory"))
            .Use((inner, sp) => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Mode == StorageMode.Azure
                ? new CachingEmbeddingGenerator(inner, sp.GetRequiredService<GuardedEmbeddingCache>(), "table")
                : inner);
        services.AddSingleton(sp => new GuardedEmbeddingCache(
            new TableEmbeddingCache(sp.GetRequiredService<EntityTables>()[TableNames.Embeddings]),
            TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<StorageOptions>>().Value.CacheReadTimeoutMs),
            TimeSpan.FromSeconds(30),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ProfileHolder>();
        services.AddMetrics();
        services.AddSingleton<RouterTelemetry>();
        services.AddRouterStorage(configuration);
        return services;
    }

    /// <summary>The stores of the core's ports, on the embedded local table or Azure Table Storage (section "Storage").</summary>
    public static IServiceCollection AddRouterStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => RelativePathBase.Current());
        services.AddSettings<StorageOptions>(configuration, StorageOptions.SectionName);
        services.AddSingleton<IPostConfigureOptions<StorageOptions>, StorageOptionsPaths>();
        services.AddSingleton(sp => OpenTables(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<RelativePathBase>().Directory,
            sp.GetService<TokenCredential>()));
        // The local queues' journal (used by the local host's AddLocalMessaging): in the local database when there is one.
        services.TryAddSingleton<IQueueJournal>(sp => sp.GetRequiredService<EntityTables>().Database is { } database
            ? new SqliteQueueJournal(database)
            : new MemoryQueueJournal());
        services.AddSingleton<IProfileStore>(sp => new TableProfileStore(sp.GetRequiredService<EntityTables>()[TableNames.Profiles]));
        services.AddSingleton(sp => new TableDecisionLog(sp.GetRequiredService<EntityTables>()[TableNames.Decisions]));
        services.AddSingleton<IDecisionLog>(sp => sp.GetRequiredService<TableDecisionLog>());
        services.AddSingleton<IRetainedStore>(sp => sp.GetRequiredService<TableDecisionLog>());
        services.AddSingleton<IFeedbackStore>(sp => new TableFeedbackStore(sp.GetRequiredService<EntityTables>()[TableNames.Feedback], sp.GetService<TimeProvider>()));
        services.AddSingleton<IStatsStore>(sp => new TableStatsStore(
            sp.GetRequiredService<EntityTables>()[TableNames.Stats],
            new StatsShards(
                sp.GetRequiredService<IOptions<StorageOptions>>().Value.StatsShards,
                StatsShards.ProcessIdentity(configuration["WEBSITE_INSTANCE_ID"]))));
        services.AddSingleton<IRetrainTrigger>(sp => new TableRetrainTrigger(sp.GetRequiredService<EntityTables>()[TableNames.Stats]));
        services.AddSingleton<IParkingLot>(sp => new TableParkingLot(sp.GetRequiredService<EntityTables>()[TableNames.Parked]));
        services.AddSingleton<ISeedStore>(sp => new TableSeedStore(sp.GetRequiredService<EntityTables>()[TableNames.Seed]));
        services.AddSingleton<IRetrainLog>(sp => new TableRetrainLog(sp.GetRequiredService<EntityTables>()[TableNames.Retrains]));
        services.AddSingleton<IAggregationStore>(sp => new TableAggregationStore(sp.GetRequiredService<EntityTables>()[TableNames.Aggregation]));
        services.AddSingleton(sp => new TableFeedbackKeys(sp.GetRequiredService<EntityTables>()[TableNames.FeedbackKeys]));
        services.AddSingleton<IFeedbackKeys>(sp => sp.GetRequiredService<TableFeedbackKeys>());
        services.AddSingleton<IRetainedStore>(sp => sp.GetRequiredService<TableFeedbackKeys>());
        return services;
    }

    /// <summary>
    /// The tables; a local database that another process holds, or that is damaged or not this router's, stops the
    /// host at start with one line naming the file (exit code 2), and is left as it is.
    /// </summary>
    private static EntityTables OpenTables(StorageOptions options, string contentRoot, TokenCredential? credential)
    {
        try
        {
            return new EntityTables(options, contentRoot, credential);
        }
        catch (LocalStoreException e)
        {
            throw new ConfigurationException(new ConfigurationError($"{StorageOptions.SectionName}:{nameof(StorageOptions.LocalDirectory)}", options.LocalDirectory, $"{e.FilePath} {e.Problem}", e.Fix));
        }
    }

    /// <summary>A section bound to its options, its annotations checked at start with lines that name the setting.</summary>
    private static void AddSettings<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsAnnotations<TOptions>(section));
    }
}
