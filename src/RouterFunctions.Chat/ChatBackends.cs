using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics.CodeAnalysis;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.AI;
using OpenAI;

namespace RouterFunctions.Chat;

/// <summary>
/// One <see cref="IChatClient"/> per enabled configured model, by the router's name for it. Each is the provider's
/// client (Azure OpenAI or OpenAI-compatible, through Microsoft.Extensions.AI.OpenAI; or <see cref="SimulatedChatClient"/>) composed, outermost first, with
/// <see cref="ModelNameChatClient"/>, <see cref="UsageCostChatClient"/>, <see cref="CircuitBreakerChatClient"/> (only with a
/// <see cref="BackendHealthMonitor"/>), <see cref="ModelRetryChatClient"/> (only with
/// <see cref="ChatModelOptions.Retries"/>) and <see cref="CallTimeoutChatClient"/>. The SDK's own retries are off: a
/// failing model is failed over (<see cref="RoutingChatClient"/>), or retried a bounded few times with backoff, not hammered.
/// </summary>
public sealed class ChatBackends : IDisposable
{
    /// <summary>The token scope of Azure OpenAI (Cognitive Services) for managed identity.</summary>
    public const string AzureOpenAIScope = "https://cognitiveservices.azure.com/.default";

    private readonly Dictionary<string, IChatClient> _clients;

    /// <param name="models">The configured models; disabled ones get no client.</param>
    /// <param name="httpClient">Sends every request when given (tests, or a shared handler); else the SDK's transport. Not owned.</param>
    /// <param name="credential">For Azure OpenAI models without a key; else a <c>DefaultAzureCredential</c> per managed identity.</param>
    /// <param name="timeProvider">Clock of the per-call timeouts.</param>
    /// <param name="health">The models' circuit breakers (on its own clock); without it, no breakers.</param>
    public ChatBackends(
        IEnumerable<ChatModelOptions> models, HttpClient? httpClient = null, TokenCredential? credential = null, TimeProvider? timeProvider = null, BackendHealthMonitor? health = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        var enabled = models.Where(m => m.Enabled).ToList();
        Models = enabled;
        var credentials = new Dictionary<string, TokenCredential>(StringComparer.Ordinal);
        _clients = new Dictionary<string, IChatClient>(StringComparer.Ordinal);
        foreach (var model in enabled)
        {
            var provider = CreateProviderClient(model, httpClient, credential ?? CredentialFor(model, credentials), timeProvider);
            _clients.Add(model.Name, provider.AsBuilder()
                .UseModelName(model.Name)
                .UseUsageCost(model.Prices)
                .UseCircuitBreaker(health, model.Name)
                .UseModelRetry(model.RetryOptions, timeProvider)
                .UseCallTimeout(model.Timeout, timeProvider)
                .Build());
        }
    }

    /// <summary>The enabled models, in configuration order.</summary>
    public IReadOnlyList<ChatModelOptions> Models { get; }

    /// <summary>Clients by the router's model name (ordinal).</summary>
    public IReadOnlyDictionary<string, IChatClient> Clients => _clients;

    public bool Contains(string name) => _clients.ContainsKey(name);

    public bool TryGet(string name, [MaybeNullWhen(false)] out IChatClient client) => _clients.TryGetValue(name, out client);

    /// <summary>The client of <paramref name="name"/>; <see cref="KeyNotFoundException"/> naming the configured ones if there is none.</summary>
    public IChatClient Get(string name) =>
        _clients.TryGetValue(name, out var client)
            ? client
            : throw new KeyNotFoundException(
                $"No enabled chat model is named '{name}'. Configured: {string.Join(", ", _clients.Keys.Order(StringComparer.Ordinal))}.");

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    /// <summary>The bare provider client of one model, without our decorators.</summary>
    /// <param name="timeProvider">Clock of a simulated model's latency and timeouts.</param>
    internal static IChatClient CreateProviderClient(ChatModelOptions model, HttpClient? httpClient, TokenCredential? credential, TimeProvider? timeProvider = null)
    {
        if (model.Kind == ChatModelKind.Simulated)
        {
            return new SimulatedChatClient(model.ModelOrName, model.Simulation ?? new SimulationOptions(), model.Timeout, timeProvider);
        }

        var endpoint = new Uri(model.Endpoint, UriKind.Absolute);
        switch (model.Kind)
        {
            case ChatModelKind.AzureOpenAI:
            {
                var options = Configure(new AzureOpenAIClientOptions(), httpClient);
                var client = string.IsNullOrEmpty(model.ApiKey)
                    ? new AzureOpenAIClient(endpoint, credential ?? throw new InvalidOperationException($"Model '{model.Name}' has no key and no credential."), options)
                    : new AzureOpenAIClient(endpoint, new ApiKeyCredential(model.ApiKey), options);
                return client.GetChatClient(model.ModelOrName).AsIChatClient();
            }

            case ChatModelKind.OpenAICompatible:
            {
                var options = Configure(new OpenAIClientOptions { Endpoint = endpoint }, httpClient);
                if (string.IsNullOrEmpty(model.ApiKey))
                {
                    // The SDK insists on a key; a keyless endpoint (local vLLM, Ollama) gets no Authorization header at all.
                    options.AddPolicy(new RemoveAuthorizationPolicy(), PipelinePosition.BeforeTransport);
                }

                var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(model.ApiKey) ? "none" : model.ApiKey), options);
                return client.GetChatClient(model.ModelOrName).AsIChatClient();
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(model), model.Kind, $"Model '{model.Name}' has an unknown kind.");
        }
    }

    private static T Configure<T>(T options, HttpClient? httpClient)
        where T : ClientPipelineOptions
    {
        options.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        // The per-call timeout decorator is the one clock; the SDK's (100 s per try by default) would race it.
        options.NetworkTimeout = Timeout.InfiniteTimeSpan;
        if (httpClient is not null)
        {
            options.Transport = new HttpClientPipelineTransport(httpClient);
        }

        return options;
    }

    private static TokenCredential? CredentialFor(ChatModelOptions model, Dictionary<string, TokenCredential> credentials)
    {
        if (model.Kind != ChatModelKind.AzureOpenAI || !string.IsNullOrEmpty(model.ApiKey))
        {
            return null;
        }

        var clientId = model.ManagedIdentityClientId ?? "";
        if (!credentials.TryGetValue(clientId, out var credential))
        {
            // Without an explicit client id, DefaultAzureCredential takes a user-assigned identity from AZURE_CLIENT_ID.
            credential = new DefaultAzureCredential(clientId.Length == 0
                ? new DefaultAzureCredentialOptions()
                : new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
            credentials.Add(clientId, credential);
        }

        return credential;
    }

    /// <summary>Drops the placeholder key's Authorization header of a keyless OpenAI-compatible endpoint.</summary>
    private sealed class RemoveAuthorizationPolicy : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
