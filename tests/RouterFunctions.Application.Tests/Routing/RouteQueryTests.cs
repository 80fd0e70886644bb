using RouterFunctions.Application.Routing;

namespace RouterFunctions.Application.Tests.Routing;

public sealed class RouteQueryTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    private static RouteCommand Command(string? query = "How do I reverse a list?", double? costWeight = null, double? qualityBand = null, double? maxCost = null, IReadOnlyList<string>? allowed = null) =>
        new(query, costWeight, qualityBand, maxCost, allowed);

    private static UseCaseError Failed(Outcome<RouteResult> outcome)
    {
        Assert.False(outcome.Succeeded);
        return outcome.Error;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t\n")]
    public async Task A_missing_or_blank_query_is_invalid_and_names_the_query(string? query)
    {
        _rig.UseProfile();

        var error = Failed(await _rig.RouteQuery().RouteAsync(Command(query), Token));

        Assert.Equal((ErrorKind.Invalid, "query"), (error.Kind, error.Field));
        Assert.Empty(_rig.Embedder.Batches);
    }

    [Fact]
    public async Task A_query_over_the_byte_limit_is_invalid_counting_UTF8_bytes_not_characters()
    {
        _rig.UseProfile();
        _rig.RouterOptions.MaxQueryBytes = 8;

        var atLimit = await _rig.RouteQuery().RouteAsync(Command("üüüü"), Token); // 4 characters, 8 bytes
        var error = Failed(await _rig.RouteQuery().RouteAsync(Command("üüüüü"), Token)); // 5 characters, 10 bytes

        Assert.True(atLimit.Succeeded);
        Assert.Equal((ErrorKind.Invalid, "query"), (error.Kind, error.Field));
        Assert.Contains("8 bytes", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_allowedModels_list_is_invalid()
    {
        _rig.UseProfile();

        var error = Failed(await _rig.RouteQuery().RouteAsync(Command(allowed: []), Token));

        Assert.Equal((ErrorKind.Invalid, "allowedModels"), (error.Kind, error.Field));
    }

    [Fact]
    public async Task An_empty_model_name_in_allowedModels_is_invalid()
    {
        _rig.UseProfile();

        var error = Failed(await _rig.RouteQuery().RouteAsync(Command(allowed: ["cheap", " "]), Token));

        Assert.Equal((ErrorKind.Invalid, "allowedModels"), (error.Kind, error.Field));
    }

    [Fact]
    public async Task An_unknown_allowed_model_is_invalid_and_named()
    {
        _rig.UseProfile();

        var error = Failed(await _rig.RouteQuery().RouteAsync(Command(allowed: ["cheap", "gpt-9", "dear"]), Token));

        Assert.Equal((ErrorKind.Invalid, "allowedModels"), (error.Kind, error.Field));
        Assert.Contains("gpt-9", error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("cheap", error.Detail, StringComparison.Ordinal);
        Assert.Empty(_rig.Embedder.Batches);
    }

    [Fact]
    public async Task Allowed_models_none_of_which_is_enabled_are_invalid()
    {
        var profile = SampleProfiles.Small();
        _rig.UseProfile(profile with { Models = [profile.Models[0], profile.Models[1] with { Enabled = false }] });

        var error = Failed(await _rig.RouteQuery().RouteAsync(Command(allowed: ["dear"]), Token));

        Assert.Equal((ErrorKind.Invalid, "allowedModels"), (error.Kind, error.Field));
        Assert.Contains("enabled", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.5, null, null, "policy.costWeight")]
    [InlineData(-0.1, null, null, "policy.costWeight")]
    [InlineData(null, 2.0, null, "policy.qualityBand")]
    [InlineData(null, null, 0.0, "policy.maxCost")]
    public async Task A_bad_policy_value_is_invalid_and_names_its_policy_field(double? costWeight, double? qualityBand, double? maxCost, string field)
    {
        _rig.UseProfile();

        var error = Failed(await _rig.RouteQuery().RouteAsync(Command(costWeight: costWeight, qualityBand: qualityBand, maxCost: maxCost), Token));

        Assert.Equal((ErrorKind.Invalid, field), (error.Kind, error.Field));
    }

    [Fact]
    public async Task Without_a_profile_the_router_is_not_ready()
    {
        var error = Failed(await _rig.RouteQuery().RouteAsync(Command(), Token));

        Assert.Equal(ErrorKind.NotReady, error.Kind);
        Assert.Null(error.Field);
    }

    [Fact]
    public async Task A_routed_query_returns_the_decision_and_records_it_in_the_decision_log()
    {
        var profile = _rig.UseProfile();

        var outcome = await _rig.RouteQuery().RouteAsync(Command("reverse a list", allowed: ["cheap", "dear"]), Token);

        Assert.True(outcome.Succeeded);
        var routed = outcome.Value.Routed;
        Assert.True(outcome.Value.StorageReachable);
        Assert.Equal(["reverse a list"], Assert.Single(_rig.Embedder.Batches));
        Assert.Equal(profile.Version, routed.Decision.ProfileVersion);
        Assert.Equal(0, routed.Decision.Cluster);
        Assert.Equal("miss", routed.Cache);
        var recorded = await _rig.Decisions.GetAsync(routed.RequestId, Token);
        Assert.NotNull(recorded);
        Assert.Equal((routed.Decision.Model, profile.Version, _rig.Time.GetUtcNow()), (recorded.Model, recorded.ProfileVersion, recorded.At));
        Assert.Equal([1f, 0f, 0.5f], recorded.Embedding);
        Assert.Equal(routed.Decision.ClusterWeights, recorded.Clusters);
    }

    [Fact]
    public async Task The_command_cost_weight_is_the_policy_and_the_configured_default_applies_without_one()
    {
        _rig.UseProfile();
        _rig.RouterOptions.DefaultCostWeight = 1;

        var quality = await _rig.RouteQuery().RouteAsync(Command(costWeight: 0), Token);
        var byDefault = await _rig.RouteQuery().RouteAsync(Command(), Token);

        // Cluster 0 of the sample profile: "dear" is better (1 vs 0.75) and far dearer.
        Assert.Equal("dear", quality.Value!.Routed.Decision.Model);
        Assert.Equal("cheap", byDefault.Value!.Routed.Decision.Model);
    }
}
