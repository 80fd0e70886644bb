using System.Text;
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
/// The embedded table with its journal: every conformance test reads back through a table re-opened from the file
/// (as after a restart), plus what only a journal can get wrong: deletes, torn writes, writes after a torn write.
/// </summary>
public sealed class JournaledMemoryEntityTableTests : EntityTableConformance, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-storage-journal-").FullName;
    private readonly List<MemoryEntityTable> _opened = [];

    private string JournalPath => Path.Combine(_directory, "table.jsonl");

    public void Dispose()
    {
        foreach (var table in _opened)
        {
            table.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    protected override IEntityTable NewTable() => Open();

    protected override IEntityTable Reopen(IEntityTable table)
    {
        ((MemoryEntityTable)table).Dispose();
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
    public async Task A_row_read_before_a_restart_can_be_replaced_with_its_ETag_after_it()
    {
        var table = Open();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "a", ("Value", "x"))), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "b", ("Value", "x"))), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Delete, Row("p", "a")), Ct);
        var read = (await table.GetAsync("p", "b", Ct))!;
        var reopened = Reopen(table);
        var next = Row("p", "b", ("Value", "y"));
        next.ETag = read.ETag;

        await reopened.WriteAsync(new TableAction(TableWrite.Replace, next), Ct);

        Assert.Equal("y", (await Reopen(reopened).GetAsync("p", "b", Ct))?.GetString("Value"));
    }

    [Fact]
    public async Task A_torn_last_line_is_ignored_and_everything_before_it_survives()
    {
        var table = Open();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "a", ("Value", "kept"))), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "b", ("Value", "kept"))), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "torn", ("Value", "lost"))), Ct);
        ((MemoryEntityTable)table).Dispose();
        TearLastLine();

        var reopened = Open();

        Assert.Equal(["a", "b"], await reopened.QueryAsync(null, Ct).Select(r => r.RowKey).ToListAsync(Ct));
    }

    [Fact]
    public async Task Writes_after_a_restart_from_a_torn_journal_survive_the_next_restart()
    {
        var table = Open();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "a", ("Value", "kept"))), Ct);
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "torn", ("Value", "lost"))), Ct);
        ((MemoryEntityTable)table).Dispose();
        TearLastLine();
        var afterCrash = Open();
        await afterCrash.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "b", ("Value", "written after the crash"))), Ct);
        await afterCrash.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "torn", ("Value", "written again"))), Ct);

        var reopened = Reopen(afterCrash);

        var rows = await reopened.QueryAsync(null, Ct).Select(r => (r.RowKey, r.GetString("Value"))).ToListAsync(Ct);
        Assert.Equal([("a", "kept"), ("b", "written after the crash"), ("torn", "written again")], rows);
    }

    [Fact]
    public async Task A_transaction_torn_mid_write_is_lost_entirely_not_in_part()
    {
        var table = Open();
        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "before", ("Value", "kept"))), Ct);
        await table.SubmitAsync([.. Enumerable.Range(0, 5).Select(i => new TableAction(TableWrite.Insert, Row("p", $"tx{i}", ("Value", "one transaction"))))], Ct);
        ((MemoryEntityTable)table).Dispose();
        TearLastLine();

        var reopened = Open();

        Assert.Equal(["before"], await reopened.QueryAsync(null, Ct).Select(r => r.RowKey).ToListAsync(Ct));
    }

    [Fact]
    public async Task A_journal_in_a_missing_folder_is_created()
    {
        var path = Path.Combine(_directory, "nested", "deeper", "table.jsonl");
        var table = new MemoryEntityTable("nested", path);
        _opened.Add(table);

        await table.WriteAsync(new TableAction(TableWrite.Insert, Row("p", "r", ("Value", "x"))), Ct);

        Assert.True(File.Exists(path));
        table.Dispose();
        using var reopened = new MemoryEntityTable("nested", path);
        Assert.Equal("x", (await reopened.GetAsync("p", "r", Ct))?.GetString("Value"));
    }

    private MemoryEntityTable Open()
    {
        var table = new MemoryEntityTable("journaled", JournalPath);
        _opened.Add(table);
        return table;
    }

    // A crash mid-append: the last line loses its second half (and its newline).
    private void TearLastLine()
    {
        var bytes = File.ReadAllBytes(JournalPath);
        Assert.Equal((byte)'\n', bytes[^1]);
        var lastLineStart = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
        var torn = lastLineStart + ((bytes.Length - 1 - lastLineStart) / 2);
        Assert.True(torn > lastLineStart, Encoding.UTF8.GetString(bytes));
        File.WriteAllBytes(JournalPath, bytes[..torn]);
    }
}
