using Microsoft.Extensions.AI;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Application.Tests.Chat;

public sealed class ProfileChatRouterTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("router")]
    public void Plain_router_has_the_configured_default_cost_weight(string? model)
    {
        _rig.RouterOptions.DefaultCostWeight = 0.4;

        var policy = _rig.ChatRouter().PolicyFor(model);

        Assert.Equal(new Core.Routing.RoutingPolicy { CostWeight = 0.4 }, policy);
    }

    [Theory]
    [InlineData("router:quality", 0.0)]
    [InlineData("router:balanced", 0.25)]
    [InlineData("router:cheap", 0.6)]
    [InlineData("router:CHEAP", 0.6)]
    public void A_named_policy_is_the_configured_one_by_case_insensitive_name(string model, double costWeight)
    {
        Assert.Equal(costWeight, _rig.ChatRouter().PolicyFor(model)!.CostWeight);
    }

    [Fact]
    public void A_configured_policy_keeps_its_band_and_cap()
    {
        _rig.RouterOptions.Policies["careful"] = new NamedPolicy { CostWeight = 0.1, QualityBand = 0.05, MaxCost = 0.01 };

        Assert.Equal(new Core.Routing.RoutingPolicy { CostWeight = 0.1, QualityBand = 0.05, MaxCost = 0.01 }, _rig.ChatRouter().PolicyFor("router:careful"));
    }

    [Theory]
    [InlineData("router:fancy")]
    [InlineData("router:")]
    public void An_unknown_policy_name_has_no_policy(string model)
    {
        Assert.Null(_rig.ChatRouter().PolicyFor(model));
    }

    [Fact]
    public void Callable_models_are_the_enabled_profile_models_with_a_backend()
    {
        var profile = SampleProfiles.Small();
        static CellStats[] Widen(CellStats[] cells) => [.. cells, new(), new()];
        _rig.UseProfile(profile with
        {
            Models = [.. profile.Models, new() { Name = "off", Enabled = false }, new() { Name = "unconfigured" }],
            Cells = [.. profile.Cells.Select(Widen)],
            GroupCells = [.. profile.GroupCells.Select(Widen)],
            Global = Widen([.. profile.Global]),
            Heads = null,
        });
        _rig.BackendModels = ["dear", "off", "elsewhere"];

        Assert.Equal(["dear"], _rig.ChatRouter().Callable(_rig.Profiles.Current!));
    }

    [Fact]
    public async Task A_routed_conversation_ranks_the_chosen_model_first_and_is_recorded_under_its_request_id()
    {
        _rig.UseProfile();

        var route = await _rig.ChatRouter().RouteAsync(
            [new(ChatRole.System, "Be brief."), new(ChatRole.User, "What is 2+2?")], new ChatOptions { ModelId = "router:quality" }, Token);

        Assert.Equal(["What is 2+2?\nBe brief."], Assert.Single(_rig.Embedder.Batches));
        Assert.Equal(["dear", "cheap"], route.Candidates.Select(c => c.Model));
        Assert.Equal("dear", (await _rig.Decisions.GetAsync(route.RequestId, Token))!.Model);
    }
}
