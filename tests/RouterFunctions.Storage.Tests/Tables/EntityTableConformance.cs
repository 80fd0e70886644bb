using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Tables;

/// <summary>
/// What every <see cref="IEntityTable"/> promises, run once per implementation: the stores above are written against
/// this contract only, so a behaviour that differs between the Azure table and the embedded one fails here.
/// </summary>
public abstract class EntityTableConformance
{
    private static readonly DateTimeOffset SomeTime = new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.FromHours(2)).AddTicks(5358979);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, empty table.</summary>
    protected abstract IEntityTable NewTable();

    /// <summary>The same table as a new process would open it: the table itself unless it is made durable some other way.</summary>
    protected virtual IEntityTable Reopen(IEntityTable table) => table;

    [Fact]
    public async Task GetAsync_of_a_missing_row_returns_null()
    {
        var table = NewTable();

        var row = await table.GetAsync("p", "missing", Ct);

        Assert.Null(row);
    }

    [Fact]
    public async Task Insert_then_GetAsync_returns_every_property_type_with_its_value_and_type()
    {
        var table = NewTable();
        byte[] bytes = [0, 1, 2, 254, 255];
        var written = Row("p", "r", ("Text", "héllo ✓"), ("Long", long.MaxValue), ("Negative", long.MinValue), ("Small", 7L),
            ("Double", 0.1), ("Whole", 2.0), ("Tiny", double.Epsilon), ("True", true), ("False", false), ("Bytes", bytes), ("At", SomeTime));

        var etag = await table.WriteAsync(new TableAction(TableWrite.Insert, written), Ct);
        var read = await Reopen(table).GetAsync("p", "r", Ct);

        Assert.NotNull(read);
        Assert.Equal(("p", "r"), (read.PartitionKey, read.RowKey));
        Assert.Equal(etag, read.ETag);
        Assert.Equal(written.Properties.Keys.Order(StringComparer.Ordinal), read.Properties.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in written.Properties)
        {
            Assert.IsType(value!.GetType(), read[name]);
            Assert.Equal(value, read[name]);
        }
    }

    [Fact]
    public async Task A_DateTimeOffset_comes_back_as_the_same_instant_in_UTC_to_the_tick()
    {
        var table = NewTable();

        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("At", SomeTime))), Ct);
        var read = await Reopen(table).GetAsync("p", "r", Ct);

        var at = Assert.IsType<DateTimeOffset>(read?["At"]);
        Assert.Equal(SomeTime.UtcTicks, at.UtcTicks);
        Assert.Equal(TimeSpan.Zero, at.Offset);
    }

    [Fact]
    public async Task An_int_property_is_read_back_as_a_long()
    {
        var table = NewTable();

        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Int", 42))), Ct);
        var read = await Reopen(table).GetAsync("p", "r", Ct);

        Assert.Equal(42L, Assert.IsType<long>(read?["Int"]));
    }

    [Fact]
    public async Task Empty_strings_and_empty_byte_arrays_are_kept_as_such()
    {
        var table = NewTable();

        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Text", ""), ("Bytes", Array.Empty<byte>()))), Ct);
        var read = await Reopen(table).GetAsync("p", "r", Ct);

        Assert.NotNull(read);
        Assert.Equal("", read.GetString("Text"));
        Assert.Equal([], Assert.IsType<byte[]>(read["Bytes"]));
    }

    [Fact]
    public async Task A_null_property_is_not_stored_and_reads_as_missing()
    {
        var table = NewTable();

        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Kept", "yes"), ("Dropped", null))), Ct);
        var read = await Reopen(table).GetAsync("p", "r", Ct);

        Assert.NotNull(read);
        Assert.Equal(["Kept"], read.Properties.Keys);
        Assert.Null(read["Dropped"]);
    }

    [Fact]
    public async Task A_property_of_an_unsupported_type_is_refused_and_nothing_is_written()
    {
        var table = NewTable();

        await Assert.ThrowsAsync<NotSupportedException>(
            () => table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Fine", 1L), ("Id", Guid.NewGuid()))), Ct));

        Assert.Null(await Reopen(table).GetAsync("p", "r", Ct));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData("a\tb")]
    public async Task A_row_key_with_a_character_Table_Storage_forbids_is_refused_and_nothing_is_written(string rowKey)
    {
        var table = NewTable();

        await Assert.ThrowsAsync<ArgumentException>(() => table.WriteAsync(new TableAction(TableWrite.Upsert, Row("p", rowKey, ("X", 1L))), Ct));

        Assert.Empty(await Reopen(table).QueryAsync(null, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task Insert_of_an_existing_row_fails_with_Conflict_and_keeps_the_first_row()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "first"))), Ct);

        var error = await Assert.ThrowsAsync<TableWriteException>(
            () => table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "second"))), Ct));

        Assert.Equal(TableWriteFailure.Conflict, error.Failure);
        Assert.Equal(0, error.FailedIndex);
        Assert.Equal("first", (await Reopen(table).GetAsync("p", "r", Ct))?.GetString("Value"));
    }

    [Fact]
    public async Task Replace_with_the_current_ETag_succeeds_and_gives_the_row_a_new_ETag()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "first"), ("Gone", 1L))), Ct);
        var read = (await table.GetAsync("p", "r", Ct))!;
        var before = read.ETag;
        var next = Row("p", "r", ("Value", "second"));
        next.ETag = before;

        var etag = await table.WriteAsync(new TableAction(TableWrite.Replace, next), Ct);
        var after = await Reopen(table).GetAsync("p", "r", Ct);

        Assert.NotNull(before);
        Assert.NotNull(etag);
        Assert.NotEqual(before, etag);
        Assert.Equal(etag, next.ETag);
        Assert.Equal(etag, after?.ETag);
        Assert.Equal("second", after?.GetString("Value"));
        Assert.False(after!.Properties.ContainsKey("Gone"), "a replace replaces the whole row, it does not merge");
    }

    [Fact]
    public async Task Replace_with_a_stale_ETag_fails_with_Precondition_and_keeps_the_newer_row()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "first"))), Ct);
        var first = (await table.GetAsync("p", "r", Ct))!;
        var second = Row("p", "r", ("Value", "second"));
        second.ETag = first.ETag;
        await table.WriteAsync(new TableAction(TableWrite.Replace, second), Ct);
        var stale = Row("p", "r", ("Value", "stale"));
        stale.ETag = first.ETag;

        var error = await Assert.ThrowsAsync<TableWriteException>(() => table.WriteAsync(new TableAction(TableWrite.Replace, stale), Ct));

        Assert.Equal(TableWriteFailure.Precondition, error.Failure);
        var kept = await Reopen(table).GetAsync("p", "r", Ct);
        Assert.Equal("second", kept?.GetString("Value"));
        Assert.Equal(second.ETag, kept?.ETag);
    }

    [Fact]
    public async Task Replace_without_an_ETag_overwrites_whatever_is_there()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "first"))), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Upsert, Row("p", "r", ("Value", "second"))), Ct);

        await table.WriteAsync(new TableAction(TableWrite.Replace, Row("p", "r", ("Value", "third"))), Ct);

        Assert.Equal("third", (await Reopen(table).GetAsync("p", "r", Ct))?.GetString("Value"));
    }

    [Fact]
    public async Task Replace_of_a_missing_row_fails_with_NotFound_with_or_without_an_ETag()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "other", ("Value", "x"))), Ct);
        var etag = (await table.GetAsync("p", "other", Ct))!.ETag;
        var withETag = Row("p", "r", ("Value", "y"));
        withETag.ETag = etag;

        var without = await Assert.ThrowsAsync<TableWriteException>(() => table.WriteAsync(new TableAction(TableWrite.Replace, Row("p", "r", ("Value", "y"))), Ct));
        var with = await Assert.ThrowsAsync<TableWriteException>(() => table.WriteAsync(new TableAction(TableWrite.Replace, withETag), Ct));

        Assert.Equal(TableWriteFailure.NotFound, without.Failure);
        Assert.Equal(TableWriteFailure.NotFound, with.Failure);
        Assert.Null(await Reopen(table).GetAsync("p", "r", Ct));
    }

    [Fact]
    public async Task Delete_removes_the_row_and_returns_no_ETag()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "x"))), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "kept", ("Value", "y"))), Ct);
        var row = (await table.GetAsync("p", "r", Ct))!;

        var etag = await table.WriteAsync(new TableAction(TableWrite.Delete, row), Ct);

        Assert.Null(etag);
        Assert.Null(row.ETag);
        var reopened = Reopen(table);
        Assert.Null(await reopened.GetAsync("p", "r", Ct));
        Assert.Equal(["kept"], await reopened.QueryAsync("p", Ct).Select(r => r.RowKey).ToListAsync(Ct));
    }

    [Fact]
    public async Task Delete_of_a_missing_row_fails_with_NotFound()
    {
        var table = NewTable();

        var error = await Assert.ThrowsAsync<TableWriteException>(() => table.WriteAsync(new TableAction(TableWrite.Delete, Row("p", "r")), Ct));

        Assert.Equal(TableWriteFailure.NotFound, error.Failure);
    }

    [Fact]
    public async Task Delete_with_a_stale_ETag_fails_with_Precondition_and_keeps_the_row()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "first"))), Ct);
        var stale = (await table.GetAsync("p", "r", Ct))!;
        await table.WriteAsync(new TableAction(TableWrite.Upsert, Row("p", "r", ("Value", "second"))), Ct);

        var error = await Assert.ThrowsAsync<TableWriteException>(() => table.WriteAsync(new TableAction(TableWrite.Delete, stale), Ct));

        Assert.Equal(TableWriteFailure.Precondition, error.Failure);
        Assert.Equal("second", (await Reopen(table).GetAsync("p", "r", Ct))?.GetString("Value"));
    }

    [Fact]
    public async Task Upsert_inserts_a_missing_row_and_replaces_an_existing_one_whatever_its_ETag()
    {
        var table = NewTable();
        var first = Row("p", "r", ("Value", "first"), ("Gone", true));
        await table.WriteAsync(new TableAction(TableWrite.Upsert, first), Ct);
        var stale = first.ETag;
        await table.WriteAsync(new TableAction(TableWrite.Upsert, Row("p", "r", ("Value", "second"))), Ct);
        var third = Row("p", "r", ("Value", "third"));
        third.ETag = stale;

        var etag = await table.WriteAsync(new TableAction(TableWrite.Upsert, third), Ct);

        var read = await Reopen(table).GetAsync("p", "r", Ct);
        Assert.NotNull(stale);
        Assert.Equal("third", read?.GetString("Value"));
        Assert.Equal(["Value"], read!.Properties.Keys);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task QueryAsync_of_a_partition_returns_only_its_rows_ordered_by_row_key()
    {
        var table = NewTable();
        string[] keys = ["m", "b", "z", "a0", "a", "B", "0"];
        foreach (var key in keys)
        {
            await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", key, ("Key", key))), Ct);
            await table.WriteAsync(new TableAction(TableWrite.Insert, Row("q", key, ("Key", key))), Ct);
        }

        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p0", "a", ("Key", "a"))), Ct);

        var rows = await Reopen(table).QueryAsync("p", Ct).ToListAsync(Ct);

        Assert.All(rows, r => Assert.Equal("p", r.PartitionKey));
        Assert.Equal(keys.Order(StringComparer.Ordinal), rows.Select(r => r.RowKey));
        Assert.Equal(rows.Select(r => r.RowKey), rows.Select(r => r.GetString("Key")));
        Assert.All(rows, r => Assert.NotNull(r.ETag));
    }

    [Fact]
    public async Task QueryAsync_of_an_empty_partition_returns_nothing()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r")), Ct);

        var rows = await table.QueryAsync("nothing-here", Ct).ToListAsync(Ct);

        Assert.Empty(rows);
    }

    [Fact]
    public async Task QueryAsync_without_a_partition_returns_every_row_ordered_by_partition_then_row_key()
    {
        var table = NewTable();
        (string Partition, string Row)[] keys = [("b", "2"), ("a", "9"), ("c", "1"), ("b", "1"), ("a", "10"), ("a", "1")];
        foreach (var (partition, row) in keys)
        {
            await table.WriteAsync(new TableAction(TableWrite.Insert, Row(partition, row)), Ct);
        }

        var rows = await Reopen(table).QueryAsync(null, Ct).ToListAsync(Ct);

        var expected = keys.OrderBy(k => k.Partition, StringComparer.Ordinal).ThenBy(k => k.Row, StringComparer.Ordinal);
        Assert.Equal(expected, rows.Select(r => (r.PartitionKey, r.RowKey)));
    }

    [Fact]
    public async Task SubmitAsync_applies_every_kind_of_action_and_sets_each_written_rows_ETag()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "replaced", ("Value", "old"))), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "upserted", ("Value", "old"))), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "deleted", ("Value", "old"))), Ct);
        var replaced = Row("p", "replaced", ("Value", "new"));
        replaced.ETag = (await table.GetAsync("p", "replaced", Ct))!.ETag;
        var deleted = (await table.GetAsync("p", "deleted", Ct))!;
        TableAction[] actions =
        [
            new(TableWrite.Insert, Row("p", "inserted", ("Value", "new"))),
            new(TableWrite.Replace, replaced),
            new(TableWrite.Upsert, Row("p", "upserted", ("Value", "new"))),
            new(TableWrite.Delete, deleted),
        ];

        await table.SubmitAsync(actions, Ct);

        var rows = await Reopen(table).QueryAsync("p", Ct).ToListAsync(Ct);
        Assert.Equal(["inserted", "replaced", "upserted"], rows.Select(r => r.RowKey));
        Assert.All(rows, r => Assert.Equal("new", r.GetString("Value")));
        Assert.Equal(rows.Select(r => r.ETag), actions[..3].OrderBy(a => a.Row.RowKey, StringComparer.Ordinal).Select(a => a.Row.ETag));
        Assert.All(actions[..3], a => Assert.NotNull(a.Row.ETag));
        Assert.Null(deleted.ETag);
    }

    [Fact]
    public async Task SubmitAsync_whose_third_action_conflicts_writes_nothing_and_names_index_2()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "existing", ("Value", "old"))), Ct);
        var existing = (await table.GetAsync("p", "existing", Ct))!;
        var replaced = Row("p", "existing", ("Value", "new"));
        replaced.ETag = existing.ETag;
        TableAction[] actions =
        [
            new(TableWrite.Replace, replaced),
            new(TableWrite.Insert, Row("p", "new-1", ("Value", "new"))),
            new(TableWrite.Insert, Row("p", "existing-2", ("Value", "new"))),
            new(TableWrite.Insert, Row("p", "new-3", ("Value", "new"))),
        ];
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "existing-2", ("Value", "old"))), Ct);
        var before = await table.QueryAsync("p", Ct).Select(r => (r.RowKey, r.ETag, r.GetString("Value"))).ToListAsync(Ct);

        var error = await Assert.ThrowsAsync<TableWriteException>(() => table.SubmitAsync(actions, Ct));

        Assert.Equal(TableWriteFailure.Conflict, error.Failure);
        Assert.Equal(2, error.FailedIndex);
        var after = await Reopen(table).QueryAsync("p", Ct).Select(r => (r.RowKey, r.ETag, r.GetString("Value"))).ToListAsync(Ct);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task SubmitAsync_with_a_stale_ETag_fails_with_Precondition_at_its_index_and_writes_nothing()
    {
        var table = NewTable();
        var stale = Row("p", "r", ("Value", "first"));
        await table.WriteAsync(new TableAction(TableWrite.Insert, stale), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Upsert, Row("p", "r", ("Value", "second"))), Ct);
        var replaced = Row("p", "r", ("Value", "third"));
        replaced.ETag = stale.ETag;

        var error = await Assert.ThrowsAsync<TableWriteException>(() => table.SubmitAsync(
            [new TableAction(TableWrite.Insert, Row("p", "new", ("Value", "x"))), new TableAction(TableWrite.Replace, replaced)], Ct));

        Assert.Equal(TableWriteFailure.Precondition, error.Failure);
        Assert.Equal(1, error.FailedIndex);
        var reopened = Reopen(table);
        Assert.Null(await reopened.GetAsync("p", "new", Ct));
        Assert.Equal("second", (await reopened.GetAsync("p", "r", Ct))?.GetString("Value"));
    }

    [Fact]
    public async Task SubmitAsync_deleting_a_missing_row_fails_with_NotFound_at_its_index_and_writes_nothing()
    {
        var table = NewTable();

        var error = await Assert.ThrowsAsync<TableWriteException>(() => table.SubmitAsync(
            [new TableAction(TableWrite.Upsert, Row("p", "a")), new TableAction(TableWrite.Delete, Row("p", "missing"))], Ct));

        Assert.Equal(TableWriteFailure.NotFound, error.Failure);
        Assert.Equal(1, error.FailedIndex);
        Assert.Empty(await Reopen(table).QueryAsync(null, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task Of_concurrent_replaces_with_the_same_ETag_exactly_one_succeeds()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Writer", -1L))), Ct);
        var etag = (await table.GetAsync("p", "r", Ct))!.ETag;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            await start.Task;
            var row = Row("p", "r", ("Writer", (long)w));
            row.ETag = etag;
            try
            {
                await table.WriteAsync(new TableAction(TableWrite.Replace, row), Ct);
                return true;
            }
            catch (TableWriteException e) when (e.Failure == TableWriteFailure.Precondition)
            {
                return false;
            }
        }, Ct)).ToList();

        start.SetResult();
        var succeeded = await Task.WhenAll(writers);

        var winner = Assert.Single(Enumerable.Range(0, 8), w => succeeded[w]);
        Assert.Equal(winner, (await Reopen(table).GetAsync("p", "r", Ct))?.GetLong("Writer"));
    }

    [Fact]
    public async Task Of_concurrent_transactions_on_one_row_exactly_one_is_applied_and_the_others_leave_nothing()
    {
        var table = NewTable();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "shared", ("Writer", -1L))), Ct);
        var etag = (await table.GetAsync("p", "shared", Ct))!.ETag;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            await start.Task;
            var shared = Row("p", "shared", ("Writer", (long)w));
            shared.ETag = etag;
            try
            {
                await table.SubmitAsync([new TableAction(TableWrite.Insert, Row("p", $"marker-{w}")), new TableAction(TableWrite.Replace, shared)], Ct);
                return true;
            }
            catch (TableWriteException e) when (e.Failure == TableWriteFailure.Precondition)
            {
                return false;
            }
        }, Ct)).ToList();

        start.SetResult();
        var succeeded = await Task.WhenAll(writers);

        var winner = Assert.Single(Enumerable.Range(0, 8), w => succeeded[w]);
        var rows = await Reopen(table).QueryAsync("p", Ct).ToListAsync(Ct);
        Assert.Equal([$"marker-{winner}", "shared"], rows.Select(r => r.RowKey));
        Assert.Equal(winner, rows[1].GetLong("Writer"));
    }

    [Fact]
    public async Task SubmitAsync_of_100_actions_writes_them_all()
    {
        var table = NewTable();
        var actions = Enumerable.Range(0, 100).Select(i => new TableAction(TableWrite.Insert, Row("p", $"r{i:D3}", ("I", (long)i)))).ToList();

        await table.SubmitAsync(actions, Ct);

        var rows = await Reopen(table).QueryAsync("p", Ct).ToListAsync(Ct);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), rows.Select(r => r.GetLong("I")));
    }

    [Fact]
    public async Task SubmitAsync_of_more_than_100_actions_is_refused_before_anything_is_written()
    {
        var table = NewTable();
        var actions = Enumerable.Range(0, 101).Select(i => new TableAction(TableWrite.Insert, Row("p", $"r{i:D3}"))).ToList();

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitAsync(actions, Ct));

        Assert.Empty(await Reopen(table).QueryAsync(null, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task SubmitAsync_across_two_partitions_is_refused_before_anything_is_written()
    {
        var table = NewTable();

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitAsync(
            [new TableAction(TableWrite.Insert, Row("p", "r")), new TableAction(TableWrite.Insert, Row("q", "r"))], Ct));

        Assert.Empty(await Reopen(table).QueryAsync(null, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task SubmitAsync_naming_one_row_twice_is_refused_before_anything_is_written()
    {
        var table = NewTable();

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitAsync(
            [new TableAction(TableWrite.Insert, Row("p", "a")), new TableAction(TableWrite.Upsert, Row("p", "b")), new TableAction(TableWrite.Upsert, Row("p", "a"))], Ct));

        Assert.Empty(await Reopen(table).QueryAsync(null, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task SubmitAsync_of_no_actions_does_nothing()
    {
        var table = NewTable();

        await table.SubmitAsync([], Ct);

        Assert.Empty(await Reopen(table).QueryAsync(null, Ct).ToListAsync(Ct));
    }

    protected static TableRow Row(string partitionKey, string rowKey, params (string Name, object? Value)[] properties)
    {
        var row = new TableRow(partitionKey, rowKey);
        foreach (var (name, value) in properties)
        {
            row[name] = value;
        }

        return row;
    }
}
