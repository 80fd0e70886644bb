namespace RouterFunctions.Storage.Local;

/// <summary>
/// The local database cannot be used as it is: another process holds it, or the file is not (or no longer) a
/// database of this router. Names the file, what is wrong and the fix; nothing was changed to "repair" it.
/// </summary>
public sealed class LocalStoreException : Exception
{
    public LocalStoreException(string path, string problem, string fix, Exception? inner = null)
        : base($"{path} {problem}; {fix}", inner)
    {
        FilePath = path;
        Problem = problem;
        Fix = fix;
    }

    public LocalStoreException()
    {
    }

    public LocalStoreException(string message)
        : base(message)
    {
    }

    public LocalStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The database file at fault.</summary>
    public string FilePath { get; } = "";

    /// <summary>What is wrong, worded to follow the file's name: "is in use by another router process (...)".</summary>
    public string Problem { get; } = "";

    public string Fix { get; } = "";
}
