using System.Net;
using Microsoft.Extensions.AI;
using RouterFunctions.Chat;

namespace RouterFunctions.Application.Tests.Fakes;

/// <summary>Drives a model's real circuit breaker: calls through it that fail until the circuit opens.</summary>
internal static class Breakers
{
    /// <summary>Fails <paramref name="model"/>'s calls (http 503) until its circuit is open: the default five.</summary>
    public static async Task OpenAsync(BackendHealthMonitor health, string model)
    {
        var backend = new CountingBackend(model) { Failing = true };
        using var client = backend.AsBuilder().UseCircuitBreaker(health, model).Build();
        while (health.StateOf(model)?.State != BackendStates.Open)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync("hi"));
            Assert.True(backend.Calls <= 100, "the circuit did not open");
        }
    }
}

/// <summary>A model backend that answers "answer from NAME", or fails with http 503 while <see cref="Failing"/>; counts its calls.</summary>
internal sealed class CountingBackend(string name) : IChatClient
{
    private int _calls;

    public string Name { get; } = name;

    public bool Failing { get; set; }

    public int Calls => _calls;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Failing
            ? Task.FromException<ChatResponse>(new HttpRequestException("scripted failure", null, HttpStatusCode.ServiceUnavailable))
            : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer from " + Name)) { ModelId = Name });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
