using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RouterFunctions.Storage.Local;

/// <summary>
/// Local mode's one SQLite file (<see cref="FileName"/> under Storage:LocalDirectory): the tables and the queues of
/// this router, owned by one process at a time. Opening it refuses, with a <see cref="LocalStoreException"/> naming
/// the file, a folder another process holds, a file that is not SQLite or is cut short, and a SQLite database of
/// another application or schema; it never deletes or rewrites such a file.
/// </summary>
public sealed class LocalDatabase : IDisposable
{
    public const string FileName = "router.db";

    /// <summary>Held open, unshared, for the life of the process that owns the database.</summary>
    public const string LockFileName = "router.db.lock";

    /// <summary>'RFDB' in the header's application_id: marks the file as this router's.</summary>
    internal const int ApplicationId = 0x52464442;

    /// <summary>The header's user_version: the schema below. A later schema changes it and migrates.</summary>
    internal const int SchemaVersion = 1;

    // Deleted rows after which free pages are handed back to the file system (auto_vacuum=INCREMENTAL).
    private const int DeletesPerVacuum = 256;

    private static readonly string[] Schema =
    [
        "CREATE TABLE entities (tbl TEXT NOT NULL, pk TEXT NOT NULL, rk TEXT NOT NULL, etag TEXT NOT NULL, props BLOB NOT NULL, PRIMARY KEY (tbl, pk, rk)) WITHOUT ROWID",
        "CREATE TABLE queue_messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, message_id TEXT NOT NULL, body TEXT NOT NULL, deliveries INTEGER NOT NULL, dead_letter_error TEXT)",
        "CREATE INDEX queue_messages_by_queue ON queue_messages (queue, seq)",
        "CREATE TABLE queue_ids (queue TEXT NOT NULL, message_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (queue, message_id)) WITHOUT ROWID",
        "CREATE INDEX queue_ids_by_seq ON queue_ids (queue, seq)",
    ];

    private readonly FileStream _lock;
    private readonly SqliteConnection _writer;
    private readonly string _readers;
    private readonly Lock _writeGate = new();
    private int _deletesSinceVacuum;

    private LocalDatabase(string path, FileStream lockFile, SqliteConnection writer, string readers)
    {
        FilePath = path;
        _lock = lockFile;
        _writer = writer;
        _readers = readers;
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>Opens (creating if missing) <see cref="FileName"/> in <paramref name="directory"/>, for this process alone.</summary>
    public static LocalDatabase Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, FileName));
        var lockFile = Lock(Path.Combine(directory, LockFileName), path);
        SqliteConnection? writer = null;
        try
        {
            CheckFile(path);
            var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
            writer = new SqliteConnection(builder.ConnectionString);
            writer.Open();
            Prepare(writer, path);
            builder.Pooling = true;
            return new LocalDatabase(path, lockFile, writer, builder.ConnectionString);
        }
        catch (Exception e) when (e is SqliteException or LocalStoreException)
        {
            writer?.Dispose();
            lockFile.Dispose();
            throw e as LocalStoreException ?? Unreadable(path, e);
        }
        catch
        {
            writer?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE), committed before this returns; a throw
    /// rolls all of it back. Writes are serialised in-process: SQLite has one writer at a time anyway, and waiting
    /// on a lock here is cheaper than SQLITE_BUSY retries. <paramref name="deletes"/> (rows the work deletes) paces
    /// the incremental vacuum.
    /// </summary>
    internal T Write<T>(Func<SqliteCommandFactory, T> work, int deletes = 0)
    {
        lock (_writeGate)
        {
            T result;
            using (var transaction = _writer.BeginTransaction(deferred: false))
            {
                result = work(new SqliteCommandFactory(_writer, transaction));
                transaction.Commit();
            }

            if (deletes > 0 && (_deletesSinceVacuum += deletes) >= DeletesPerVacuum)
            {
                // Outside the transaction: each vacuum step is a small commit of its own; pages freed by deletes go
                // back to the file system instead of the file only ever growing (retention deletes whole partitions).
                _deletesSinceVacuum = 0;
                Execute(_writer, "PRAGMA incremental_vacuum");
            }

            return result;
        }
    }

    /// <summary>A connection for reads (pooled; WAL lets it read the last commit while a write is under way). The caller disposes it.</summary>
    internal SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readers);
        connection.Open();
        return connection;
    }

    /// <summary>Free pages in the file (for tests of the vacuum).</summary>
    internal long FreePages()
    {
        using var reader = OpenReader();
        return Scalar(reader, "PRAGMA freelist_count");
    }

    public void Dispose()
    {
        lock (_writeGate)
        {
            using (var pooled = new SqliteConnection(_readers))
            {
                SqliteConnection.ClearPool(pooled);
            }

            _writer.Dispose();
            _lock.Dispose();
        }
    }

    /// <summary>
    /// Why a lock file and not SQLite's locking_mode=EXCLUSIVE: exclusive mode takes its lock only at the first write
    /// (a second router would start, answer, and fail later), and it would lock out this process's own read
    /// connections too. The lock file is taken before the database is touched, so the second process stops at start;
    /// the OS releases it when the owner dies, even by kill -9, so there is never a stale lock to clean up.
    /// (.NET takes FileShare.None as an advisory flock on Unix, honoured by every .NET process.)
    /// </summary>
    private static FileStream Lock(string lockPath, string databasePath)
    {
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new LocalStoreException(databasePath,
                $"is in use by another router process (it holds {lockPath})",
                "stop that process, or give this one a Storage:LocalDirectory of its own", e);
        }
    }

    // The header checked before SQLite opens the file, so a foreign or damaged file is named, not half-read.
    private static void CheckFile(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = file.Length;
        if (length == 0)
        {
            return; // created but never written (a crash before the first commit): SQLite takes it as a new database
        }

        var header = new byte[100];
        var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < 16 || !header.AsSpan(0, 16).SequenceEqual("SQLite format 3\0"u8))
        {
            throw new LocalStoreException(path, "is not a SQLite database (it does not start with the SQLite header)", Untouched);
        }

        if (read < header.Length)
        {
            throw Truncated(path, length, header.Length);
        }

        var rawPageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16));
        var pageSize = rawPageSize == 1 ? 65536 : rawPageSize; // 1 stands for 65536, which 16 bits cannot hold
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        var pagesValid = header.AsSpan(24, 4).SequenceEqual(header.AsSpan(92, 4));
        // With a write-ahead log beside it, the log may hold pages the file does not have yet: SQLite recovers those.
        var wal = new FileInfo(path + "-wal");
        if (pagesValid && !(wal.Exists && wal.Length > 0) && length < (long)pages * pageSize)
        {
            throw Truncated(path, length, (long)pages * pageSize);
        }
    }

    private static void Prepare(SqliteConnection connection, string path)
    {
        var applicationId = Scalar(connection, "PRAGMA application_id");
        var version = Scalar(connection, "PRAGMA user_version");
        var objects = Scalar(connection, "SELECT count(*) FROM sqlite_master");
        if (applicationId == 0 && objects == 0)
        {
            Create(connection);
        }
        else if (applicationId != ApplicationId)
        {
            throw new LocalStoreException(path,
                string.Create(CultureInfo.InvariantCulture, $"is a SQLite database of another application (application_id 0x{applicationId:X8}, {objects} schema objects), not this router's"),
                "give the router a Storage:LocalDirectory of its own, or move that file away");
        }
        else if (version != SchemaVersion)
        {
            throw new LocalStoreException(path,
                string.Create(CultureInfo.InvariantCulture, $"holds schema version {version}; this router reads version {SchemaVersion}"),
                "run the router version that wrote it, or move the file away to start afresh");
        }

        // Durability: WAL with synchronous=NORMAL. A commit is written to the log (write(2)) before COMMIT returns,
        // and the OS keeps written data when a process dies, so a kill -9 never loses a committed transaction (the
        // crash test kills a router mid-burst and finds every 202'd event). The log is fsynced at each checkpoint, so
        // a power cut or OS crash can roll back the last commits, never corrupt the file. FULL (an fsync per commit)
        // would survive a power cut too, but measured here costs 0.25-2.5 ms per single-row write against 0.03 ms,
        // and all writes of the process queue behind that one fsync; local mode is one developer machine.
        Execute(connection, "PRAGMA synchronous=NORMAL");
    }

    private static void Create(SqliteConnection connection)
    {
        // page_size and auto_vacuum only take effect before the first table; journal_mode=WAL is kept in the file from
        // now on. 16 KiB pages: a decision row (its 2 KiB embedding) is a fifth of a page, not more than half of a
        // 4 KiB one, where SQLite's b-tree keeps about one such row per page.
        Execute(connection, "PRAGMA page_size=16384");
        Execute(connection, "PRAGMA auto_vacuum=INCREMENTAL");
        Execute(connection, "PRAGMA journal_mode=WAL");
        using var transaction = connection.BeginTransaction(deferred: false);
        var commands = new SqliteCommandFactory(connection, transaction);
        foreach (var statement in Schema)
        {
            commands.Execute(statement);
        }

        // Marked as ours in the same commit as the schema: a crash leaves either an empty file or a complete one.
        commands.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id={ApplicationId}"));
        commands.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version={SchemaVersion}"));
        transaction.Commit();
    }

    private static LocalStoreException Truncated(string path, long length, long expected) => new(path,
        string.Create(CultureInfo.InvariantCulture, $"is cut short ({length} bytes where its header says {expected}): the database is damaged"),
        Untouched);

    private static LocalStoreException Unreadable(string path, Exception e) => new(path,
        $"is not a readable SQLite database ({e.Message.TrimEnd('.')})", Untouched, e);

    private const string Untouched = "the router left it untouched: restore it from a backup, or move it away to start with an empty store";

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}

/// <summary>Commands on the write connection within its open transaction.</summary>
internal readonly struct SqliteCommandFactory(SqliteConnection connection, SqliteTransaction transaction)
{
    public SqliteCommand Create(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Create(sql, parameters);
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Create(sql, parameters);
        return command.ExecuteScalar();
    }
}
