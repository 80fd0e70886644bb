namespace RouterFunctions.Application.Tests;

public sealed class ProfileHolderTests
{
    [Fact]
    public void Current_is_null_before_a_profile_is_set()
    {
        var holder = new ProfileHolder();

        Assert.Null(holder.Current);
    }

    [Fact]
    public void Set_makes_a_router_for_the_profile_given()
    {
        var holder = new ProfileHolder();
        var profile = SampleProfiles.Small(version: 4);

        holder.Set(profile);

        Assert.NotNull(holder.Current);
        Assert.Same(profile, holder.Current.Profile);
    }

    [Fact]
    public void Set_again_swaps_in_a_new_router_and_leaves_the_old_one_on_its_version()
    {
        var holder = new ProfileHolder();
        var first = SampleProfiles.Small(version: 1);
        var second = SampleProfiles.Small(version: 2);
        holder.Set(first);
        var inFlight = holder.Current!;

        holder.Set(second);

        Assert.NotSame(inFlight, holder.Current);
        Assert.Same(second, holder.Current!.Profile);
        Assert.Same(first, inFlight.Profile);
        Assert.Equal(1, inFlight.Decide([1f, 0f, 0.5f], Core.Routing.RoutingPolicy.Default).ProfileVersion);
        Assert.Equal(2, holder.Current.Decide([1f, 0f, 0.5f], Core.Routing.RoutingPolicy.Default).ProfileVersion);
    }

    [Fact]
    public void Set_rejects_a_profile_no_router_can_use_and_keeps_the_current_one()
    {
        var holder = new ProfileHolder();
        var good = SampleProfiles.Small();
        holder.Set(good);
        var empty = good with { Centroids = [], CentroidGroups = [], Cells = [] };

        Assert.Throws<ArgumentException>(() => holder.Set(empty));

        Assert.Same(good, holder.Current?.Profile);
    }

    [Fact]
    public void Storage_counts_as_reachable_until_a_failure_is_reported()
    {
        var holder = new ProfileHolder();

        Assert.True(holder.StorageReachable);
        Assert.Null(holder.StorageError);
    }

    [Fact]
    public void StorageFailed_records_why_and_StorageOk_clears_it_without_touching_the_router()
    {
        var holder = new ProfileHolder();
        var profile = SampleProfiles.Small();
        holder.Set(profile);

        holder.StorageFailed("table service timed out");
        var whileFailing = (holder.StorageReachable, holder.StorageError, holder.Current?.Profile);
        holder.StorageOk();

        Assert.Equal((false, "table service timed out", profile), whileFailing);
        Assert.True(holder.StorageReachable);
        Assert.Null(holder.StorageError);
        Assert.Same(profile, holder.Current?.Profile);
    }
}
