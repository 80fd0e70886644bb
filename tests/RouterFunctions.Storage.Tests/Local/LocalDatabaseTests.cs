using Microsoft.Data.Sqlite;
using RouterFunctions.Storage.Local;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Local;

/// <summary>
/// The local database refuses what it must not use, naming the file, and never "repairs" it: each case asserts the
/// file's bytes are as they were.
/// </summary>
public sealed class LocalDatabaseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-localdb-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_directory, LocalDatabase.FileName);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_second_open_of_a_held_folder_is_refused_naming_the_file_and_the_fix()
    {
        using var first = LocalDatabase.Open(_directory);

        var refused = Assert.Throws<LocalStoreException>(() => LocalDatabase.Open(_directory));

        Assert.Equal(DatabasePath, refused.FilePath);
        Assert.Contains("in use by another router process", refused.Problem, StringComparison.Ordinal);
        Assert.Contains("Storage:LocalDirectory", refused.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Once_the_owner_closes_it_the_folder_can_be_opened_again()
    {
        LocalDatabase.Open(_directory).Dispose();

        using var again = LocalDatabase.Open(_directory);

        Assert.Equal(DatabasePath, again.FilePath);
    }

    [Fact]
    public void A_file_of_random_bytes_is_refused_and_left_as_it_was()
    {
        var bytes = new byte[8192];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(DatabasePath, bytes);

        var refused = AssertRefusedUnchanged();

        Assert.Contains("not a SQLite database", refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_cut_short_is_refused_and_left_as_it_was()
    {
        await WriteRowsAsync(200);
        var bytes = File.ReadAllBytes(DatabasePath);
        File.WriteAllBytes(DatabasePath, bytes[..(bytes.Length / 2)]);

        var refused = AssertRefusedUnchanged();

        Assert.Contains("cut short", refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_shorter_than_the_header_is_refused_and_left_as_it_was()
    {
        File.WriteAllBytes(DatabasePath, "SQLite format 3\0\u0010\0"u8.ToArray());

        var refused = AssertRefusedUnchanged();

        Assert.Contains("cut short", refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_SQLite_database_of_another_application_is_refused_and_left_as_it_was()
    {
        Foreign("PRAGMA application_id=1234", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");

        var refused = AssertRefusedUnchanged();

        Assert.Contains("another application", refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_SQLite_database_of_another_schema_without_an_application_id_is_refused_and_left_as_it_was()
    {
        Foreign("CREATE TABLE entities (id INTEGER PRIMARY KEY)");

        var refused = AssertRefusedUnchanged();

        Assert.Contains("another application", refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_of_this_router_with_another_schema_version_is_refused_and_left_as_it_was()
    {
        LocalDatabase.Open(_directory).Dispose();
        Foreign("PRAGMA user_version=99");

        var refused = AssertRefusedUnchanged();

        Assert.Contains("schema version 99", refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_whose_properties_cannot_be_decoded_fails_its_read_naming_the_file_and_the_row_and_is_left_as_it_was()
    {
        await WriteRowsAsync(3);
        Foreign("UPDATE entities SET props = x'01FF' WHERE rk = 'r1'");
        var before = File.ReadAllBytes(DatabasePath);

        using (var database = LocalDatabase.Open(_directory))
        {
            var table = new SqliteEntityTable(database, "t");
            var refused = await Assert.ThrowsAsync<LocalStoreException>(() => table.GetAsync("p", "r1", Ct));
            Assert.Equal(DatabasePath, refused.FilePath);
            Assert.Contains("t(p, r1)", refused.Problem, StringComparison.Ordinal);
            Assert.Equal("a", (await table.GetAsync("p", "r0", Ct))?.GetString("Value"));
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(before, File.ReadAllBytes(DatabasePath));
    }

    [Fact]
    public void An_empty_file_left_by_a_crash_before_the_first_commit_is_taken_as_a_new_database()
    {
        File.WriteAllBytes(DatabasePath, []);

        using var database = LocalDatabase.Open(_directory);

        Assert.True(new FileInfo(DatabasePath).Length > 0);
    }

    private LocalStoreException AssertRefusedUnchanged()
    {
        var before = File.ReadAllBytes(DatabasePath);

        var refused = Assert.Throws<LocalStoreException>(() => LocalDatabase.Open(_directory));

        SqliteConnection.ClearAllPools();
        Assert.Equal(DatabasePath, refused.FilePath);
        Assert.StartsWith(DatabasePath + " ", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(DatabasePath));
        // Once refused, the folder is free again: the lock is not left held.
        using (var lockFile = new FileStream(Path.Combine(_directory, LocalDatabase.LockFileName), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }

        return refused;
    }

    private async Task WriteRowsAsync(int count)
    {
        using var database = LocalDatabase.Open(_directory);
        var table = new SqliteEntityTable(database, "t");
        for (var i = 0; i < count; i += 50)
        {
            await table.SubmitAsync([.. Enumerable.Range(i, Math.Min(50, count - i)).Select(n => new TableAction(TableWrite.Insert, Row(n)))], Ct);
        }
    }

    private static TableRow Row(int n) => new("p", $"r{n}") { Properties = { ["Value"] = "a", ["Pad"] = new string('x', 500) } };

    // Changes the file behind the router's back, as another program would (and then closes it cleanly).
    private void Foreign(params string[] statements)
    {
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ConnectionString))
        {
            connection.Open();
            foreach (var sql in statements)
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }
        }
    }
}
