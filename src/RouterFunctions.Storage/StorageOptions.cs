using System.ComponentModel.DataAnnotations;

namespace RouterFunctions.Storage;

public enum StorageMode
{
    /// <summary>The embedded local store: one SQLite file (router.db) under <see cref="StorageOptions.LocalDirectory"/>, or in memory when that is empty.</summary>
    Local,

    /// <summary>Azure Table Storage (or Azurite) at <see cref="StorageOptions.ConnectionString"/> or <see cref="StorageOptions.TableServiceUri"/>.</summary>
    Azure,
}

/// <summary>Where state lives (section "Storage").</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    public StorageMode Mode { get; set; } = StorageMode.Local;

    /// <summary>Folder of the local store's database (router.db, with its lock file router.db.lock); empty keeps it in memory only. The application resolves a relative one against the current directory.</summary>
    public string? LocalDirectory { get; set; } = Path.Combine(".data", "tables");

    /// <summary>For Azurite or key-based development accounts; deployments use <see cref="TableServiceUri"/> and an identity.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>https://&lt;account&gt;.table.core.windows.net, reached with DefaultAzureCredential (AZURE_CLIENT_ID picks the identity).</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Prepended to every table name: lets several routers (or test runs) share one account.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,20}$|^$")]
    public string TablePrefix { get; set; } = "";

    /// <summary>How long routing decisions are kept for feedback to refer to (and retraining to read); older ones are purged.</summary>
    [Range(0.0001, 3650)]
    public double DecisionRetentionDays { get; set; } = 7;

    /// <summary>
    /// Decisions held in memory until written (about 2.3 KB each): routing never waits on storage, and when storage is
    /// down longer than the buffer lasts, new decisions are dropped (counted in /api/stats) instead of slowing routes.
    /// </summary>
    [Range(1, 10_000_000)]
    public int DecisionBufferCapacity { get; set; } = 20_000;

    /// <summary>
    /// How long the decision writer waits, when less than a batch is buffered, for more to share the write: one commit
    /// per few decisions costs more than the writing. A decision is served from memory meanwhile.
    /// </summary>
    [Range(0, 5_000)]
    public int DecisionFlushLingerMs { get; set; } = 100;

    /// <summary>
    /// How long a route waits for the shared embedding cache (Azure mode) before embedding the text itself (about 1 ms);
    /// after 3 slow or failed reads in a row the table tier is skipped for 30 s.
    /// </summary>
    [Range(1, 10_000)]
    public double CacheReadTimeoutMs { get; set; } = 50;

    /// <summary>Minutes between the local router's retention purges (the first at start); deployed, the hourly RetentionPurge timer purges.</summary>
    [Range(1, 1440)]
    public double PurgeIntervalMinutes { get; set; } = 60;

    /// <summary>
    /// Aggregate rows per statistics cell, so that concurrent ingester instances write different rows (no ETag retries
    /// between them) — about the most instances expected at once. Reads cost a point read per shard in use; raise it
    /// only (rows of shards above a lowered count would no longer be counted).
    /// </summary>
    [Range(1, 64)]
    public int StatsShards { get; set; } = 16;

    /// <summary>Seconds between checks of the current-profile pointer.</summary>
    [Range(0.05, 3600)]
    public double ProfilePollSeconds { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == StorageMode.Azure && string.IsNullOrWhiteSpace(ConnectionString) && TableServiceUri is null)
        {
            // Named for Mode, the setting the user chose: the message says which of the others to add.
            yield return new ValidationResult(
                "needs Storage:TableServiceUri (with an identity) or Storage:ConnectionString (Azurite, key-based accounts) " +
                "and neither is set; set one of them, or use Storage:Mode=Local",
                [nameof(Mode)]);
        }
    }
}
