using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests;

/// <summary>The base of each store's suite: the suite runs once on the embedded table and once on Azurite.</summary>
public abstract class StoreConformance
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, empty table.</summary>
    protected abstract IEntityTable NewTable();
}
