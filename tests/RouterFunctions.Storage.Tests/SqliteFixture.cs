using RouterFunctions.Storage.Local;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests;

/// <summary>
/// One local database per test class (a class fixture) in a temporary folder, and a fresh table per test: tables
/// get a unique name, so tests of a class never see each other's rows.
/// </summary>
public sealed class SqliteFixture : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-sqlite-").FullName;

    public SqliteFixture() => Database = LocalDatabase.Open(_directory);

    public LocalDatabase Database { get; }

    public SqliteEntityTable NewTable() => new(Database, AzuriteFixture.UniqueTableName());

    public void Dispose()
    {
        Database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
