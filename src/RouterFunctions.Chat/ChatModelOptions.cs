namespace RouterFunctions.Chat;

/// <summary>How a model is reached.</summary>
public enum ChatModelKind
{
    /// <summary>An Azure OpenAI resource: the deployment goes in the path, the key in <c>api-key</c>, or managed identity.</summary>
    AzureOpenAI,

    /// <summary>Any endpoint that speaks OpenAI's <c>/chat/completions</c> (OpenAI, vLLM, Ollama, Azure AI Foundry): the model id goes in the body.</summary>
    OpenAICompatible,

    /// <summary>
    /// No backend at all: <see cref="SimulatedChatClient"/> answers deterministically in-process (a local try-out, demos,
    /// load tests). No Endpoint; <see cref="ChatModelOptions.Simulation"/> sets latency and failure injection.
    /// </summary>
    Simulated,
}

/// <summary>
/// One callable model (an entry of the configuration list "Models"). <see cref="Name"/> is the name routing knows it by:
/// it must match the routing profile's model names.
/// </summary>
public sealed class ChatModelOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromSeconds(10);

    public const int MaxRetries = 5;

    /// <summary>The router's name for the model: what routing ranks, what <c>model</c> says in answers.</summary>
    public string Name { get; set; } = "";

    public ChatModelKind Kind { get; set; } = ChatModelKind.AzureOpenAI;

    /// <summary>
    /// Absolute http(s) URI. Azure OpenAI: the resource (<c>https://NAME.openai.azure.com/</c>). OpenAI-compatible: the
    /// base that <c>chat/completions</c> is appended to, usually ending in <c>/v1</c> (<c>http://localhost:11434/v1</c>).
    /// </summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The Azure OpenAI deployment name, or the model id an OpenAI-compatible endpoint expects; defaults to <see cref="Name"/>.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// Key from configuration (a secret: Key Vault reference or environment, never appsettings in the repo). Without one,
    /// Azure OpenAI uses <c>DefaultAzureCredential</c> (managed identity; a user-assigned one from
    /// <see cref="ManagedIdentityClientId"/> or <c>AZURE_CLIENT_ID</c>) and an OpenAI-compatible endpoint gets no
    /// Authorization header (a local vLLM or Ollama).
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Client id of a user-assigned managed identity (Azure OpenAI without a key); else <c>AZURE_CLIENT_ID</c>.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>USD per 1M input (prompt) tokens. Zero is allowed (a self-hosted model), negative is not.</summary>
    public double InputPricePerMillion { get; set; }

    /// <summary>USD per 1M output (completion) tokens.</summary>
    public double OutputPricePerMillion { get; set; }

    /// <summary>
    /// Longest wait for one call: for a non-streaming call the whole answer, for a streaming call each next update
    /// (so a long answer that keeps arriving is not cut, a stalled one is).
    /// </summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>
    /// How often the same model is tried again after a 429 or 503 before failover moves on (0, the default: never;
    /// at most <see cref="MaxRetries"/>). See <see cref="ModelRetryChatClient"/>.
    /// </summary>
    public int Retries { get; set; }

    /// <summary>The median first wait of those retries; it grows exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = DefaultRetryBaseDelay;

    /// <summary>The longest wait between those retries; a Retry-After asking for more is not waited for (failover instead).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = DefaultRetryMaxDelay;

    /// <summary>Latency and failure injection of a <see cref="ChatModelKind.Simulated"/> model (defaults when absent); not allowed on other kinds.</summary>
    public SimulationOptions? Simulation { get; set; }

    /// <summary>A disabled model is validated but gets no client: failover skips it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The deployment or model id actually sent.</summary>
    public string ModelOrName => string.IsNullOrWhiteSpace(Model) ? Name : Model;

    public ModelPrices Prices => new(InputPricePerMillion, OutputPricePerMillion);

    public ModelRetryOptions RetryOptions => new(Retries, RetryBaseDelay, RetryMaxDelay);
}

/// <summary>The configured models (configuration section "Models", a list).</summary>
public sealed class ChatModelsOptions
{
    public const string SectionName = "Models";

    public List<ChatModelOptions> Models { get; } = [];
}

/// <summary>Failover settings (section "Failover").</summary>
public sealed class FailoverOptions
{
    public const string SectionName = "Failover";

    /// <summary>Most models tried for one request, the first included.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;
}
