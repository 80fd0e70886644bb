using System.ComponentModel.DataAnnotations;

namespace RouterFunctions.Application;

/// <summary>The router service's settings (section "Router").</summary>
public sealed class RouterOptions
{
    public const string SectionName = "Router";

    /// <summary>
    /// A profile file (from 'routerfn train') to publish when the store has none yet; without one, the first start
    /// trains from <see cref="TrainingDataPath"/>. File settings here are relative to the current directory and must
    /// name an existing file (checked at start).
    /// </summary>
    public string? ProfilePath { get; set; }

    /// <summary>Graded queries (JSONL) for a first profile; defaults to the RouterBench subset in ../shared.</summary>
    public string? TrainingDataPath { get; set; }

    /// <summary>
    /// Model prices (models.json); defaults to the one beside the training data. When set, models it lists that the
    /// stored profile lacks are added at start with their priors (cold start) and explored like the rest.
    /// </summary>
    public string? ModelCatalogPath { get; set; }

    /// <summary>The field of each data row to embed; rows without it fall back to "query".</summary>
    [Required]
    public string TextField { get; set; } = "question";

    /// <summary>Texts whose embeddings the in-process LRU keeps: about 2.2 KB each, so the default is about 55 MB when full.</summary>
    [Range(1, 10_000_000)]
    public int EmbeddingCacheCapacity { get; set; } = 25_000;

    /// <summary>Longest accepted query, in UTF-8 bytes.</summary>
    [Range(1, 1 << 20)]
    public int MaxQueryBytes { get; set; } = 32 * 1024;

    /// <summary>Largest accepted request body, in bytes.</summary>
    [Range(1024, 64 << 20)]
    public int MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>Cost weight used when a request names no policy.</summary>
    [Range(0.0, 1.0)]
    public double DefaultCostWeight { get; set; } = 0.25;

    [Range(0, int.MaxValue)]
    public int Seed { get; set; } = 42;

    /// <summary>Policies a chat client picks with model "router:&lt;name&gt;" (e.g. "router:cheap").</summary>
    public Dictionary<string, NamedPolicy> Policies { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["quality"] = new() { CostWeight = 0 },
        ["balanced"] = new() { CostWeight = 0.25 },
        ["cheap"] = new() { CostWeight = 0.6 },
    };

    /// <summary>How many recent user turns of a conversation routing reads (besides the system prompt).</summary>
    [Range(1, 100)]
    public int ChatRoutingUserTurns { get; set; } = 3;

    /// <summary>Most messages accepted in one chat request.</summary>
    [Range(1, 10_000)]
    public int MaxMessages { get; set; } = 128;

    /// <summary>Most text accepted across a chat request's messages, in UTF-8 bytes.</summary>
    [Range(1, 64 << 20)]
    public int MaxChatBytes { get; set; } = 512 * 1024;
}

/// <summary>A routing policy by name, from configuration.</summary>
public sealed class NamedPolicy
{
    public double CostWeight { get; set; } = 0.25;

    public double? QualityBand { get; set; }

    public double? MaxCost { get; set; }

    public Core.Routing.RoutingPolicy ToPolicy() => new() { CostWeight = CostWeight, QualityBand = QualityBand, MaxCost = MaxCost };
}
