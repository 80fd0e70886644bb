using System.IO.Compression;
using System.Text;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Stores;

public abstract class ProfileStoreConformance : StoreConformance
{
    [Fact]
    public async Task Nothing_is_current_before_the_first_publish()
    {
        var store = new TableProfileStore(NewTable());

        var profile = await store.GetCurrentAsync(Ct);
        var version = await store.GetCurrentVersionAsync(Ct);

        Assert.Null(profile);
        Assert.Null(version);
    }

    [Fact]
    public async Task TryPublishAsync_expecting_none_when_none_is_published_makes_the_profile_current()
    {
        var table = NewTable();
        var store = new TableProfileStore(table);
        var profile = Samples.Profile(version: 1);

        var published = await store.TryPublishAsync(profile, null, Ct);

        Assert.True(published);
        Assert.Equal(1, await store.GetCurrentVersionAsync(Ct));
        Samples.AssertSame(profile, await new TableProfileStore(table).GetCurrentAsync(Ct));
    }

    [Fact]
    public async Task TryPublishAsync_expecting_the_current_version_moves_the_pointer()
    {
        var table = NewTable();
        var store = new TableProfileStore(table);
        await store.TryPublishAsync(Samples.Profile(version: 1), null, Ct);
        Samples.AssertSame(Samples.Profile(version: 1), await store.GetCurrentAsync(Ct));
        var second = Samples.Profile(version: 2);

        var published = await store.TryPublishAsync(second, 1, Ct);

        Assert.True(published);
        Assert.Equal(2, await store.GetCurrentVersionAsync(Ct));
        Samples.AssertSame(second, await store.GetCurrentAsync(Ct));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(null)]
    [InlineData(3)]
    public async Task TryPublishAsync_with_a_stale_expected_version_returns_false_and_leaves_the_pointer(int? stale)
    {
        var table = NewTable();
        var store = new TableProfileStore(table);
        await store.TryPublishAsync(Samples.Profile(version: 1), null, Ct);
        await store.TryPublishAsync(Samples.Profile(version: 2), 1, Ct);

        var published = await store.TryPublishAsync(Samples.Profile(version: 3, seed: 9), stale, Ct);

        Assert.False(published);
        Assert.Equal(2, await store.GetCurrentVersionAsync(Ct));
        Samples.AssertSame(Samples.Profile(version: 2), await new TableProfileStore(table).GetCurrentAsync(Ct));
    }

    [Fact]
    public async Task TryPublishAsync_expecting_a_version_when_none_is_published_returns_false()
    {
        var store = new TableProfileStore(NewTable());

        var published = await store.TryPublishAsync(Samples.Profile(version: 2), 1, Ct);

        Assert.False(published);
        Assert.Null(await store.GetCurrentVersionAsync(Ct));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Of_two_concurrent_publishers_expecting_the_same_version_exactly_one_wins(bool sameVersionNumber)
    {
        var table = NewTable();
        await new TableProfileStore(table).TryPublishAsync(Samples.Profile(version: 1), null, Ct);
        for (var round = 0; round < 8; round++)
        {
            var current = (await new TableProfileStore(table).GetCurrentVersionAsync(Ct))!.Value;
            var a = Samples.Profile(current + 1, seed: 100 + round);
            var b = Samples.Profile(sameVersionNumber ? current + 1 : current + 2, seed: 200 + round);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var racing = Task.WhenAll(
                Task.Run(async () => { await start.Task; return await new TableProfileStore(table).TryPublishAsync(a, current, Ct); }, Ct),
                Task.Run(async () => { await start.Task; return await new TableProfileStore(table).TryPublishAsync(b, current, Ct); }, Ct));

            start.SetResult();
            var results = await racing;

            Assert.Equal(1, results.Count(r => r));
            var winner = results[0] ? a : b;
            Assert.Equal(winner.Version, await new TableProfileStore(table).GetCurrentVersionAsync(Ct));
            Samples.AssertSame(winner, await new TableProfileStore(table).GetCurrentAsync(Ct));
        }
    }

    [Fact]
    public async Task A_large_profile_round_trips_through_several_chunks()
    {
        var table = NewTable();
        var store = new TableProfileStore(table);
        var large = Samples.Profile(version: 1, centroids: 64, dimensions: 512, groups: 3, models: 11);

        Assert.True(await store.TryPublishAsync(large, null, Ct));
        var loaded = await new TableProfileStore(table).GetCurrentAsync(Ct);

        Samples.AssertSame(large, loaded);
        var chunks = await table.QueryAsync(null, Ct).Where(r => r.GetBytes("Data") is not null).ToListAsync(Ct);
        Assert.True(chunks.Count > 1, $"{chunks.Count} chunk(s): the profile was meant to need several");
        Assert.All(chunks, c => Assert.True(c.GetBytes("Data")!.Length <= 64 * 1024, "a binary property holds at most 64 KiB"));
    }

    [Fact]
    public async Task GetCurrentAsync_follows_the_pointer_when_another_instance_publishes()
    {
        var table = NewTable();
        var reader = new TableProfileStore(table);
        var writer = new TableProfileStore(table);
        await writer.TryPublishAsync(Samples.Profile(version: 1), null, Ct);
        Samples.AssertSame(Samples.Profile(version: 1), await reader.GetCurrentAsync(Ct));

        await writer.TryPublishAsync(Samples.Profile(version: 2), 1, Ct);

        Assert.Equal(2, await reader.GetCurrentVersionAsync(Ct));
        Samples.AssertSame(Samples.Profile(version: 2), await reader.GetCurrentAsync(Ct));
    }

    [Fact]
    public async Task A_profile_published_before_chunk_partitions_were_unique_still_loads()
    {
        var table = NewTable();
        var profile = Samples.Profile(version: 12);
        using (var compressed = new MemoryStream())
        {
            using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(Encoding.UTF8.GetBytes(ProfileJson.Serialize(profile)));
            }

            await table.WriteAsync(new TableAction(TableWrite.Insert, new TableRow("v00000012", "0000") { ["Data"] = compressed.ToArray() }), Ct);
        }

        await table.WriteAsync(new TableAction(TableWrite.Insert, new TableRow("current", "pointer") { ["Version"] = 12L }), Ct);
        var store = new TableProfileStore(table);

        Samples.AssertSame(profile, await store.GetCurrentAsync(Ct));
        Assert.True(await store.TryPublishAsync(Samples.Profile(version: 13), 12, Ct));
        Samples.AssertSame(Samples.Profile(version: 13), await store.GetCurrentAsync(Ct));
    }

    [Fact]
    public async Task A_publish_cut_off_before_the_pointer_moved_can_be_retried()
    {
        var table = new ObservedEntityTable(NewTable());
        var store = new TableProfileStore(table);
        await store.TryPublishAsync(Samples.Profile(version: 1), null, Ct);
        var second = Samples.Profile(version: 2);
        var writes = 0;
        table.FailBefore = _ => ++writes == 2 ? new IOException("connection reset after the profile was stored, before the pointer moved") : null;

        await Assert.ThrowsAsync<IOException>(() => store.TryPublishAsync(second, 1, Ct));
        table.FailBefore = null;
        var retried = await store.TryPublishAsync(second, 1, Ct);

        Assert.True(retried);
        Assert.Equal(2, await store.GetCurrentVersionAsync(Ct));
        Samples.AssertSame(second, await new TableProfileStore(table).GetCurrentAsync(Ct));
    }
}

public sealed class MemoryProfileStoreTests : ProfileStoreConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Profiles);
}

public sealed class SqliteProfileStoreTests(SqliteFixture sqlite) : ProfileStoreConformance, IClassFixture<SqliteFixture>
{
    protected override IEntityTable NewTable() => sqlite.NewTable();
}

public sealed class AzureProfileStoreTests(AzuriteFixture azurite) : ProfileStoreConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}
