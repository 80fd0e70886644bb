using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Routing;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Stores;

public abstract class DecisionLogConformance : StoreConformance
{
    [Fact]
    public async Task GetAsync_of_an_unknown_request_returns_null()
    {
        var log = new TableDecisionLog(NewTable());

        Assert.Null(await log.GetAsync("unknown", Ct));
    }

    [Fact]
    public async Task A_decision_round_trips_with_its_embedding_bytes_and_cluster_weights()
    {
        var log = new TableDecisionLog(NewTable());
        var decision = Decision("0195f3c2a1b04c7e8d9f00112233aabb", seed: 1);

        await log.RecordAsync(decision, Ct);
        var read = await log.GetAsync(decision.RequestId, Ct);

        AssertSame(decision, read);
    }

    [Theory]
    [InlineData("tenant/42/request")]
    [InlineData("req#7")]
    [InlineData("what?now")]
    [InlineData("back\\slash")]
    [InlineData("all/of#them?at\\once")]
    public async Task Request_ids_with_characters_keys_may_not_hold_round_trip(string requestId)
    {
        var log = new TableDecisionLog(NewTable());
        var decision = Decision(requestId, seed: requestId.Length);

        await log.RecordAsync(decision, Ct);
        var read = await log.GetAsync(requestId, Ct);
        var listed = await log.ListAsync(Ct).ToListAsync(Ct);

        AssertSame(decision, read);
        AssertSame(decision, Assert.Single(listed));
    }

    [Fact]
    public async Task Recording_the_same_request_again_replaces_it()
    {
        var log = new TableDecisionLog(NewTable());
        await log.RecordAsync(Decision("r", seed: 1), Ct);
        var second = Decision("r", seed: 2);

        await log.RecordAsync(second, Ct);

        AssertSame(second, await log.GetAsync("r", Ct));
        Assert.Single(await log.ListAsync(Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task ListAsync_returns_every_decision()
    {
        var log = new TableDecisionLog(NewTable());
        var decisions = Enumerable.Range(0, 25).Select(i => Decision($"request-{i}", seed: i)).ToList();
        foreach (var d in decisions)
        {
            await log.RecordAsync(d, Ct);
        }

        var listed = await log.ListAsync(Ct).ToListAsync(Ct);

        Assert.Equal(decisions.Select(d => d.RequestId).Order(StringComparer.Ordinal), listed.Select(d => d.RequestId).Order(StringComparer.Ordinal));
        foreach (var d in decisions)
        {
            AssertSame(d, listed.Single(l => l.RequestId == d.RequestId));
        }
    }

    [Fact]
    public async Task Retention_purges_whole_hours_before_the_cutoff_and_keeps_the_rest()
    {
        var log = new TableDecisionLog(NewTable());
        var start = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var old = Enumerable.Range(0, 30).Select(i => Decision(RequestIds.New(start.AddMinutes(i)), seed: i)).ToList();
        var kept = Enumerable.Range(0, 30).Select(i => Decision(RequestIds.New(start.AddHours(3).AddMinutes(i)), seed: i)).ToList();
        var undatedOld = Decision("undated-old", seed: 1) with { At = start };
        var undatedNew = Decision("undated-new", seed: 2) with { At = start.AddHours(5) };
        await log.RecordAsync([.. old, .. kept, undatedOld, undatedNew], Ct);

        var deleted = await log.PurgeBeforeAsync(start.AddHours(2), Ct);

        Assert.Equal(old.Count + 1, deleted);
        foreach (var d in old)
        {
            Assert.Null(await log.GetAsync(d.RequestId, Ct));
        }

        var listed = await log.ListAsync(Ct).Select(d => d.RequestId).ToListAsync(Ct);
        Assert.Equal(kept.Select(d => d.RequestId).Append(undatedNew.RequestId).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(0, await log.PurgeBeforeAsync(start.AddHours(2), Ct)); // nothing left to purge, and no error
    }

    [Fact]
    public async Task A_batch_larger_than_a_transaction_with_a_repeated_id_is_written_whole_the_last_record_winning()
    {
        var log = new TableDecisionLog(NewTable());
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var batch = Enumerable.Range(0, 250).Select(i => Decision(RequestIds.New(at.AddMilliseconds(i)), seed: i)).ToList();
        var replaced = batch[7] with { Model = "replaced" };

        await log.RecordAsync([.. batch, replaced], Ct);

        Assert.Equal(250, await log.ListAsync(Ct).CountAsync(Ct));
        Assert.Equal("replaced", (await log.GetAsync(replaced.RequestId, Ct))!.Model);
    }

    [Fact]
    public async Task An_hour_stores_each_distinct_embedding_once_and_every_decision_reads_it_back()
    {
        var table = NewTable();
        var log = new TableDecisionLog(table);
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var shared = Decision("shared", seed: 5).Embedding;
        var decisions = Enumerable.Range(0, 40).Select(i => Decision(RequestIds.New(at.AddSeconds(i)), seed: i) with { Embedding = shared }).ToList();

        await log.RecordAsync(decisions[..20], Ct);
        await new TableDecisionLog(table).RecordAsync(decisions[20..], Ct); // another instance: it writes the vector again, harmlessly

        Assert.Single(await VectorRows(table));
        foreach (var d in decisions)
        {
            AssertSame(d, await log.GetAsync(d.RequestId, Ct));
        }

        Assert.Equal(40, await log.ListAsync(Ct).CountAsync(Ct));
    }

    [Fact]
    public async Task Retention_purges_an_hours_embeddings_with_its_decisions()
    {
        var table = NewTable();
        var log = new TableDecisionLog(table);
        var start = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        await log.RecordAsync([Decision(RequestIds.New(start), seed: 1), Decision(RequestIds.New(start.AddHours(3)), seed: 2)], Ct);

        await log.PurgeBeforeAsync(start.AddHours(2), Ct);

        Assert.Equal("2026120111", Assert.Single(await VectorRows(table)).PartitionKey[..10]);
    }

    [Fact]
    public async Task A_decision_written_with_a_hashed_key_and_its_embedding_inline_is_still_read()
    {
        var table = NewTable();
        var decision = Decision(RequestIds.New(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero)), seed: 3) with { Propensity = 1 };
        // The row as the version before shared embeddings (and propensities) wrote it.
        await table.WriteAsync(new TableAction(TableWrite.Upsert, new TableRow($"2026120108-{Keys.Spread(decision.RequestId)}", Keys.Hash(decision.RequestId))
        {
            ["RequestId"] = decision.RequestId,
            ["ProfileVersion"] = (long)decision.ProfileVersion,
            ["Model"] = decision.Model,
            ["Clusters"] = System.Text.Json.JsonSerializer.Serialize(decision.Clusters),
            ["Embedding"] = Keys.ToBytes(decision.Embedding),
            ["At"] = decision.At,
        }), Ct);

        AssertSame(decision, await new TableDecisionLog(table).GetAsync(decision.RequestId, Ct));
    }

    private static async Task<List<TableRow>> VectorRows(IEntityTable table) =>
        await table.QueryAsync(null, Ct).Where(r => r.PartitionKey.Length == 14 && r.PartitionKey[10..12] == "-e").ToListAsync(Ct);

    private static DecisionRecord Decision(string requestId, int seed)
    {
        var random = new Random(seed);
        float[] embedding = [.. Enumerable.Range(0, 512).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        embedding[0] = float.Epsilon;
        embedding[1] = -0f;
        ClusterWeight[] clusters = [new(random.Next(64), 0.6), new(random.Next(64), 0.3 + (seed * 1e-9)), new(random.Next(64), 0.1)];
        // Every other decision was explored (its propensity below 1), the rest keep the default.
        return new DecisionRecord(requestId, seed + 1, $"model-{seed % 3}", clusters, embedding, new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(seed * 1_234_567L), seed % 2 == 0 ? 1 : 0.0125 + (seed * 1e-7));
    }

    private static void AssertSame(DecisionRecord expected, DecisionRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.RequestId, actual.RequestId);
        Assert.Equal(expected.ProfileVersion, actual.ProfileVersion);
        Assert.Equal(expected.Model, actual.Model);
        Assert.Equal(expected.Clusters, actual.Clusters);
        Assert.Equal(expected.At, actual.At);
        Assert.Equal(expected.Propensity, actual.Propensity);
        Assert.Equal(expected.Embedding.Length, actual.Embedding.Length);
        Assert.True(expected.Embedding.AsSpan().SequenceEqual(actual.Embedding), "the embedding's bits differ");
        Assert.True(float.IsNegative(actual.Embedding[1]), "-0 must stay -0: the bytes are stored, not the values");
    }
}

public sealed class MemoryDecisionLogTests : DecisionLogConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Decisions);
}

public sealed class SqliteDecisionLogTests(SqliteFixture sqlite) : DecisionLogConformance, IClassFixture<SqliteFixture>
{
    protected override IEntityTable NewTable() => sqlite.NewTable();
}

public sealed class AzureDecisionLogTests(AzuriteFixture azurite) : DecisionLogConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}
