namespace RouterFunctions.Storage.Tables;

public enum TableWriteFailure
{
    /// <summary>Insert of a row that exists (409).</summary>
    Conflict,

    /// <summary>The ETag no longer matches: someone else wrote the row first (412).</summary>
    Precondition,

    /// <summary>Replace or delete of a row that does not exist (404).</summary>
    NotFound,
}

/// <summary>A write refused by the table's rules (not a transport failure). In a transaction, names the failed action.</summary>
public sealed class TableWriteException : Exception
{
    public TableWriteException(TableWriteFailure failure, int failedIndex, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        FailedIndex = failedIndex;
    }

    public TableWriteException()
    {
    }

    public TableWriteException(string message)
        : base(message)
    {
    }

    public TableWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TableWriteFailure Failure { get; }

    /// <summary>The failed action's index in a transaction; 0 for a single write.</summary>
    public int FailedIndex { get; }
}
