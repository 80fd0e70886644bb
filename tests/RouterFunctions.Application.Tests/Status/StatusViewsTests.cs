using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RouterFunctions.Application.Status;
using RouterFunctions.Application.Tests.Fakes;
using RouterFunctions.Chat;
using RouterFunctions.Core.Embeddings;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Application.Tests.Status;

/// <summary>
/// The views over a real <see cref="ProfileStartup"/>: it needs the ONNX model (only to compare the profile's embedding
/// model id; nothing is embedded), so these tests load it from ../shared like the composition tests do.
/// </summary>
public sealed class StatusViewsTests : IDisposable
{
    private readonly UseCaseRig _rig = new();
    private readonly OnnxEmbeddingGenerator _model = new(new OnnxEmbeddingOptions { ModelDirectory = ModelFiles.Directory });
    private readonly LruEmbeddingCache _cache = new(10);
    private readonly ProfileStartup _startup;

    public StatusViewsTests()
    {
        _startup = new ProfileStartup(
            _rig.ProfileStore, _rig.Seeds, _rig.Profiles, _model, Options.Create(_rig.RouterOptions), _rig.Time, NullLogger<ProfileStartup>.Instance);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private StatusViews Views => new(_rig.Profiles, _startup, _cache, _rig.RetrainLog, _rig.Time);

    public void Dispose()
    {
        _startup.Dispose();
        _model.Dispose();
        _rig.Dispose();
    }

    [Fact]
    public void Before_a_profile_health_is_starting_with_no_profile_fields()
    {
        var health = Views.Health();

        Assert.Equal(new HealthView("starting", "loading", null, null, null, ModelLoaded: true, StorageReachable: true, null, 0, health.Backends), health);
    }

    [Fact]
    public async Task After_startup_loads_the_stored_profile_health_is_ready_with_its_version_and_age()
    {
        var profile = SampleProfiles.Small(version: 5) with { EmbeddingModelId = _model.ModelId };
        Assert.True(await _rig.ProfileStore.TryPublishAsync(profile, null, Token));
        _cache.Set(EmbeddingCacheKey.For("m", "t"), [1f]);

        await _startup.StartAsync(Token);
        await _startup.Completion.WaitAsync(TimeSpan.FromSeconds(30), Token);
        var health = Views.Health();

        // Created 2025-06-01 08:15, now 2025-06-02 09:30: 25 h 15 min.
        Assert.Equal(new HealthView("ready", "ready", 5, profile.CreatedAt, 90_900, ModelLoaded: true, StorageReachable: true, null, 1, health.Backends), health);
    }

    [Fact]
    public void Health_reports_a_storage_failure_while_running_on_the_loaded_profile()
    {
        _rig.UseProfile();
        _rig.Profiles.StorageFailed("table service timed out");

        var health = Views.Health();

        Assert.Equal(("ready", false, "table service timed out"), (health.Status, health.StorageReachable, health.StorageError));
    }

    [Fact]
    public async Task Health_shows_each_backends_circuit_by_model_in_configuration_order()
    {
        var health = new BackendHealthMonitor(["dear", "cheap"], new RouterFunctions.Chat.BreakerOptions(), _rig.Time);
        await Breakers.OpenAsync(health, "cheap");

        var backends = new StatusViews(_rig.Profiles, _startup, _cache, _rig.RetrainLog, _rig.Time, health).Health().Backends;

        Assert.Equal(["dear", "cheap"], backends.Keys);
        Assert.Equal(BackendState.Fresh("dear"), backends["dear"]);
        Assert.Equal(
            new BackendState("cheap", "open", "circuit open: 5 failures in 30s (last: http 503)", _rig.Time.GetUtcNow(), _rig.Time.GetUtcNow().AddSeconds(30), 5, 0),
            backends["cheap"]);
    }

    [Fact]
    public void The_current_profile_is_not_ready_before_one_is_loaded_then_is_the_loaded_one()
    {
        var before = Views.CurrentProfile();
        var profile = _rig.UseProfile();
        var after = Views.CurrentProfile();

        Assert.Equal(ErrorKind.NotReady, before.Error!.Kind);
        Assert.Same(profile, after.Value);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(10, 3)]
    public async Task Retrains_are_the_latest_newest_first_at_most_the_limit(int limit, int expected)
    {
        foreach (var hour in new[] { 1, 3, 2 })
        {
            await _rig.RetrainLog.RecordAsync(new RetrainOutcome($"r{hour}", _rig.Time.GetUtcNow().AddHours(hour), "schedule", 3, null, 0.5, 0.4, 12, "kept"), Token);
        }

        var retrains = await Views.RetrainsAsync(limit, Token);

        Assert.Equal(new[] { "r3", "r2", "r1" }.Take(expected), retrains.Select(r => r.Id));
    }
}
