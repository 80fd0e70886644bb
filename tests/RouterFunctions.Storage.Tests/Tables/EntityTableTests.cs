using RouterFunctions.Storage.Local;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Tables;

public sealed class MemoryEntityTableTests : EntityTableConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable("memory");
}

public sealed class AzureEntityTableTests(AzuriteFixture azurite) : EntityTableConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}

/// <summary>
/// The local SQLite table: every conformance test reads back through a table of a database re-opened from the file
/// (as after a restart), plus what only a file can get wrong: deletes and ETags across a restart, the file's size.
/// </summary>
public sealed class SqliteEntityTableTests : EntityTableConformance, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-storage-sqlite-").FullName;
    private LocalDatabase? _database;

    public void Dispose()
    {
        _database?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    protected override IEntityTable NewTable() => Open();

    protected override IEntityTable Reopen(IEntityTable table)
    {
        _database?.Dispose();
        _database = null;
        return Open();
    }

    [Fact]
    public async Task Rows_replaces_and_deletes_survive_a_restart()
    {
        var table = Open();
        await table.SubmitAsync([.. "abcd".Select(k => new TableAction(TableWrite.Insert, Row("p", k.ToString(), ("Value", "old"))))], Ct);
        await table.WriteAsync(new TableAction(TableWrite.Delete, Row("p", "b")), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Replace, Row("p", "c", ("Value", "new"))), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Delete, Row("p", "d")), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "d", ("Value", "again"))), Ct);

        var reopened = Reopen(table);

        var rows = await reopened.QueryAsync(null, Ct).Select(r => (r.RowKey, r.GetString("Value"))).ToListAsync(Ct);
        Assert.Equal([("a", "old"), ("c", "new"), ("d", "again")], rows);
    }

    [Fact]
    public async Task A_row_read_before_a_restart_can_be_replaced_with_its_ETag_after_it_and_a_stale_one_cannot()
    {
        var table = Open();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "b", ("Value", "x"))), Ct);
        var read = (await table.GetAsync("p", "b", Ct))!;
        var reopened = Reopen(table);
        var next = Row("p", "b", ("Value", "y"));
        next.ETag = read.ETag;

        await reopened.WriteAsync(new TableAction(TableWrite.Replace, next), Ct);
        var stale = Row("p", "b", ("Value", "z"));
        stale.ETag = read.ETag;

        var failure = await Assert.ThrowsAsync<TableWriteException>(() => reopened.WriteAsync(new TableAction(TableWrite.Replace, stale), Ct));
        Assert.Equal(TableWriteFailure.Precondition, failure.Failure);
        Assert.Equal("y", (await Reopen(reopened).GetAsync("p", "b", Ct))?.GetString("Value"));
    }

    [Fact]
    public async Task Tables_of_one_database_keep_their_rows_apart()
    {
        var first = Open();
        var second = new SqliteEntityTable(_database!, "other");

        await first.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "first"))), Ct);
        await second.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "second"))), Ct);

        Assert.Equal("first", (await first.GetAsync("p", "r", Ct))?.GetString("Value"));
        Assert.Equal(["second"], await second.QueryAsync(null, Ct).Select(r => r.GetString("Value")).ToListAsync(Ct));
    }

    [Fact]
    public async Task Deleting_many_rows_gives_the_space_back_instead_of_growing_the_file()
    {
        var table = Open();
        var padding = new string('x', 2_000);
        for (var batch = 0; batch < 20; batch++)
        {
            await table.SubmitAsync([.. Enumerable.Range(0, 50).Select(i => new TableAction(TableWrite.Insert, Row($"day{batch}", $"r{i}", ("Pad", padding))))], Ct);
        }

        var full = (await table.QueryAsync(null, Ct).CountAsync(Ct), _database!.FreePages());
        for (var batch = 0; batch < 20; batch++)
        {
            var rows = await table.QueryAsync($"day{batch}", Ct).ToListAsync(Ct);
            await table.SubmitAsync([.. rows.Select(r => new TableAction(TableWrite.Delete, r))], Ct);
        }

        Assert.Equal((1000, 0L), full);
        Assert.Empty(await table.QueryAsync(null, Ct).ToListAsync(Ct));
        // Without the incremental vacuum the ~500 pages the rows held would all be on the free list; with it, at
        // most the pages of the deletes since the last vacuum step are.
        Assert.True(_database.FreePages() < 200, $"{_database.FreePages()} free pages left after deleting everything");
    }

    [Fact]
    public async Task A_database_in_a_missing_folder_is_created()
    {
        var path = Path.Combine(_directory, "nested", "deeper");
        using (var database = LocalDatabase.Open(path))
        {
            await new SqliteEntityTable(database, "nested").WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "x"))), Ct);
        }

        Assert.True(File.Exists(Path.Combine(path, LocalDatabase.FileName)));
        using var reopened = LocalDatabase.Open(path);
        Assert.Equal("x", (await new SqliteEntityTable(reopened, "nested").GetAsync("p", "r", Ct))?.GetString("Value"));
    }

    private SqliteEntityTable Open()
    {
        _database ??= LocalDatabase.Open(_directory);
        return new SqliteEntityTable(_database, "table");
    }
}
