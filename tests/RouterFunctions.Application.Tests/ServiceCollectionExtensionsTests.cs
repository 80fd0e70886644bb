using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RouterFunctions.Application.Configuration;
using RouterFunctions.Core.Embeddings;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Embeddings.Onnx;
using RouterFunctions.Storage;
using RouterFunctions.Storage.Local;
using RouterFunctions.Storage.Stores;

namespace RouterFunctions.Application.Tests;

public sealed class ServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-hosting-di-").FullName;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_embedding_generator_serves_a_repeated_text_from_the_memory_cache()
    {
        using var host = Build(new() { ["Embedding:ModelDirectory"] = ModelFiles.Directory });
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var first = (await generator.GenerateAsync(["How do I reverse a linked list?"], cancellationToken: Cancellation))[0];
        var second = (await generator.GenerateAsync(["How do I reverse a linked list?"], cancellationToken: Cancellation))[0];

        Assert.Equal(CachingEmbeddingGenerator.Miss, first.AdditionalProperties?[CachingEmbeddingGenerator.CacheProperty]);
        Assert.Equal("memory", second.AdditionalProperties?[CachingEmbeddingGenerator.CacheProperty]);
        Assert.Equal(first.Vector.ToArray(), second.Vector.ToArray());
        Assert.True(first.Vector.Length > 0);
    }

    [Fact]
    public async Task The_embedding_generator_embeds_only_the_texts_it_has_not_seen()
    {
        using var host = Build(new() { ["Embedding:ModelDirectory"] = ModelFiles.Directory });
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        await generator.GenerateAsync(["alpha", "beta"], cancellationToken: Cancellation);

        var again = await generator.GenerateAsync(["beta", "gamma"], cancellationToken: Cancellation);

        Assert.Equal(["memory", CachingEmbeddingGenerator.Miss], again.Select(e => e.AdditionalProperties?[CachingEmbeddingGenerator.CacheProperty]));
        Assert.Equal(3, host.Services.GetRequiredService<LruEmbeddingCache>().Count);
    }

    [Fact]
    public async Task The_memory_cache_holds_as_many_embeddings_as_Router_EmbeddingCacheCapacity_says()
    {
        using var host = Build(new() { ["Embedding:ModelDirectory"] = ModelFiles.Directory, ["Router:EmbeddingCacheCapacity"] = "1" });
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        await generator.GenerateAsync(["first"], cancellationToken: Cancellation);
        await generator.GenerateAsync(["second"], cancellationToken: Cancellation);

        var first = (await generator.GenerateAsync(["first"], cancellationToken: Cancellation))[0];

        Assert.Equal(CachingEmbeddingGenerator.Miss, first.AdditionalProperties?[CachingEmbeddingGenerator.CacheProperty]);
        Assert.Equal(1, host.Services.GetRequiredService<LruEmbeddingCache>().Count);
    }

    [Fact]
    public void The_cached_pipeline_wraps_the_one_bare_model_singleton()
    {
        using var host = Build(new() { ["Embedding:ModelDirectory"] = ModelFiles.Directory, ["Embedding:ModelId"] = "use-lite-test" });

        var bare = host.Services.GetRequiredService<OnnxEmbeddingGenerator>();
        var pipeline = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.NotSame(bare, pipeline);
        Assert.Same(bare, pipeline.GetService<OnnxEmbeddingGenerator>());
        Assert.Equal("use-lite-test", bare.ModelId);
        Assert.Same(pipeline, host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public void A_missing_model_folder_fails_options_validation_naming_the_setting_and_how_to_get_the_model()
    {
        var missing = Path.Combine(_directory, "no-model-here");
        using var host = Build(new() { ["Embedding:ModelDirectory"] = missing });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value);

        Assert.Equal(typeof(OnnxEmbeddingOptions), error.OptionsType);
        var failure = Assert.Single(error.Failures);
        Assert.StartsWith($"Embedding:ModelDirectory = '{missing}': no such folder; ", failure, StringComparison.Ordinal);
        Assert.Contains("models/download.sh", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_folder_without_the_tokenizer_fails_validation_naming_only_the_tokenizer()
    {
        var partial = Path.Combine(_directory, "model-only");
        Directory.CreateDirectory(partial);
        File.Copy(Path.Combine(ModelFiles.Directory, "model.onnx"), Path.Combine(partial, "model.onnx"));
        using var host = Build(new() { ["Embedding:ModelDirectory"] = partial });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value);

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith($"Embedding:ModelDirectory = '{partial}': no '{Path.Combine(partial, "tokenizer.model")}'; ", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_model_stops_the_host_from_starting()
    {
        var missing = Path.Combine(_directory, "no-model-here");
        using var host = Build(new() { ["Embedding:ModelDirectory"] = missing });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancellation));

        Assert.Contains($"Embedding:ModelDirectory = '{missing}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("models/download.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_with_the_model_and_default_settings_starts()
    {
        using var host = Build(new() { ["Embedding:ModelDirectory"] = ModelFiles.Directory });

        await host.StartAsync(Cancellation);
        await host.StopAsync(Cancellation);

        Assert.Equal(new RouterOptions().EmbeddingCacheCapacity, host.Services.GetRequiredService<IOptions<RouterOptions>>().Value.EmbeddingCacheCapacity);
    }

    [Fact]
    public void Without_Embedding_ModelDirectory_the_model_is_looked_for_in_the_default_places()
    {
        using var host = Build([]);

        var options = host.Services.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value;

        Assert.Equal(DefaultPaths.ModelDirectory(), options.ModelDirectory);
        Assert.True(File.Exists(options.ModelPath));
        Assert.True(File.Exists(options.TokenizerPath));
    }

    [Fact]
    public async Task An_out_of_range_router_setting_stops_the_host_from_starting()
    {
        using var host = Build(new() { ["Embedding:ModelDirectory"] = ModelFiles.Directory, ["Router:EmbeddingCacheCapacity"] = "0" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancellation));

        Assert.Equal(typeof(RouterOptions), error.OptionsType);
        Assert.Equal(["Router:EmbeddingCacheCapacity = '0': out of range; use a value from 1 to 10000000"], error.Failures);
    }

    [Fact]
    public void The_feedback_key_ledger_is_registered_once_as_the_ledger_and_as_a_retained_store()
    {
        using var host = Build([]);

        var retained = host.Services.GetServices<IRetainedStore>().ToList();

        Assert.Contains(host.Services.GetRequiredService<IFeedbackKeys>(), retained.Cast<object>());
        Assert.IsType<TableFeedbackKeys>(Assert.Single(retained, r => r is TableFeedbackKeys));
    }

    [Fact]
    public async Task The_local_profile_store_keeps_its_tables_under_the_relative_path_base_by_default()
    {
        using (var host = Build([]))
        {
            var store = host.Services.GetRequiredService<IProfileStore>();

            Assert.True(await store.TryPublishAsync(SampleProfiles.Small(version: 6), expectedCurrent: null, Cancellation));
        }

        Assert.True(File.Exists(Path.Combine(_directory, ".data", "tables", LocalDatabase.FileName)));
    }

    [Fact]
    public async Task A_relative_Storage_LocalDirectory_resolves_against_the_relative_path_base_and_survives_a_restart()
    {
        var settings = new Dictionary<string, string?> { ["Storage:LocalDirectory"] = Path.Combine("state", "tables") };
        using (var first = Build(settings))
        {
            await first.Services.GetRequiredService<IProfileStore>().TryPublishAsync(SampleProfiles.Small(version: 8), expectedCurrent: null, Cancellation);
        }

        using var second = Build(settings);
        var current = await second.Services.GetRequiredService<IProfileStore>().GetCurrentAsync(Cancellation);

        Assert.True(File.Exists(Path.Combine(_directory, "state", "tables", LocalDatabase.FileName)));
        Assert.Equal(8, current?.Version);
        Assert.Equal(SampleProfiles.Small().Models, current?.Models);
    }

    [Fact]
    public async Task Azure_storage_without_an_account_stops_the_host_from_starting()
    {
        using var host = Build(new() { ["Embedding:ModelDirectory"] = ModelFiles.Directory, ["Storage:Mode"] = "Azure" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancellation));

        Assert.Equal(typeof(StorageOptions), error.OptionsType);
        var failure = Assert.Single(error.Failures);
        Assert.StartsWith("Storage:Mode = 'Azure': needs Storage:TableServiceUri", failure, StringComparison.Ordinal);
        Assert.Contains("Storage:ConnectionString", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_out_of_range_feedback_setting_stops_the_host_from_starting()
    {
        using var host = Build(new() { ["Embedding:ModelDirectory"] = ModelFiles.Directory, ["Feedback:HeldOutRatio"] = "0.95" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancellation));

        Assert.Equal(typeof(FeedbackOptions), error.OptionsType);
        Assert.Equal(["Feedback:HeldOutRatio = '0.95': out of range; use a value from 0.01 to 0.9"], error.Failures);
    }

    [Fact]
    public void The_profile_holder_is_one_shared_instance_with_no_profile_yet()
    {
        using var host = Build([]);

        var holder = host.Services.GetRequiredService<ProfileHolder>();

        Assert.Null(holder.Current);
        Assert.Same(holder, host.Services.GetRequiredService<ProfileHolder>());
    }

    [Fact]
    public void The_system_clock_is_registered_when_the_app_has_none()
    {
        using var host = Build([]);

        Assert.Same(TimeProvider.System, host.Services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void A_clock_the_app_registered_first_is_kept()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var host = Build([], services => services.AddSingleton<TimeProvider>(clock));

        Assert.Same(clock, host.Services.GetRequiredService<TimeProvider>());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The composition with the test's folder as content root and, unless a test registers its own, as <see cref="RelativePathBase"/>.</summary>
    private IHost Build(Dictionary<string, string?> settings, Action<IServiceCollection>? registerFirst = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _directory });
        builder.Configuration.AddInMemoryCollection(settings);
        registerFirst?.Invoke(builder.Services);
        builder.Services.TryAddSingleton(new RelativePathBase(_directory));
        builder.Services.AddRouterApplication(builder.Configuration);
        return builder.Build();
    }
}
