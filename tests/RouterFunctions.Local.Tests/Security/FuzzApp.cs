using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouterFunctions.Application;
using RouterFunctions.Chat;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Local.Tests.Security;

/// <summary>
/// The local router as its callers talk to it: on real Kestrel (loopback, dynamic port), so that header limits,
/// chunked bodies, the 1 MiB body limit and malformed requests meet the real server. Local mode, in memory, on the
/// fixture's profile; every profile model has a backend (a stub answering every chat call), so that a request that
/// survives validation runs all the way through routing, chat and aggregation. Feedback parks at its first failure
/// and never triggers a retrain, so no answer depends on timing.
/// </summary>
internal sealed class FuzzApp : IAsyncLifetime
{
    /// <summary>Set on every answer that passed through the app's pipeline (not on Kestrel's own rejections).</summary>
    public const string SeenHeader = "x-fuzz-seen";

    private readonly RouterAppFixture _fixture;
    private readonly Dictionary<string, string?> _settings;
    private readonly StubBackend _backend = new();
    private HttpClient? _backendClient;

    /// <param name="settings">More configuration, e.g. Azure storage (Storage:Mode, Storage:ConnectionString).</param>
    public FuzzApp(RouterAppFixture fixture, Dictionary<string, string?>? settings = null)
    {
        _fixture = fixture;
        _settings = settings ?? [];
    }

    public RouterAppFactory Factory { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IReadOnlyList<string> Models { get; private set; } = [];

    /// <summary>What the app logged at Error or above (an unhandled exception behind a 500 shows here with its stack).</summary>
    public ErrorLog Errors { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var profile = _fixture.Factory.Services.GetRequiredService<ProfileHolder>().Current?.Profile
            ?? throw new InvalidOperationException("the fixture's app has no profile");
        Models = [.. profile.Models.Select(m => m.Name)];
        var settings = new Dictionary<string, string?>
        {
            ["Router:ProfilePath"] = _fixture.ProfilePath,
            ["Feedback:ParkAfterDeliveries"] = "1",
            ["Feedback:RetrainAfterEvents"] = "1000000",
            ["Feedback:DriftMinCount"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:RouterFunctions"] = "Error",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
        };
        foreach (var (key, value) in _settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in OpenAi.ScriptedBackend.ModelSettings(profile.Models))
        {
            settings[key] = value;
        }

        _backendClient = new HttpClient(_backend, disposeHandler: false);
        var backendClient = _backendClient;
        Factory = new RouterAppFactory(settings, services =>
        {
            services.AddSingleton(sp => new ChatBackends(sp.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models, backendClient));
            services.AddSingleton<IStartupFilter, MarkSeen>();
            services.AddSingleton<ILoggerProvider>(Errors);
            // First in line, so it sees every exception that reaches the exception handler (then lets the app's handle it).
            services.Insert(0, ServiceDescriptor.Singleton<IExceptionHandler>(Errors));
        });
        Factory.UseKestrel(0);
        Factory.StartServer();
        Address = Factory.ClientOptions.BaseAddress;
        Client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = 16,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            // Header values go out as UTF-8 bytes, non-ASCII included (HttpClient refuses them otherwise).
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        })
        { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        var health = await RouterAppFactory.WaitUntilReadyAsync(Client, seconds: 60);
        Assert.True(health.GetProperty("status").GetString() == "ready", health.ToString());
    }

    public T Get<T>()
        where T : notnull => Factory.Services.GetRequiredService<T>();

    /// <summary>Ids the generators aim at: a few routed requests, and two aggregation jobs run to the end.</summary>
    public async Task<FuzzTargets> TargetsAsync()
    {
        var requestIds = new List<string>();
        foreach (var query in new[] { "What is 2 + 2?", "Write a haiku about autumn.", "Explain quicksort.", "Who wrote Hamlet?" })
        {
            requestIds.Add((await TestApp.RouteAsync(Client, query)).RequestId);
        }

        var jobIds = new List<string>();
        foreach (var question in Local ? new[] { "What is the boiling point of water?", "Name three prime numbers." } : [])
        {
            using var response = await Client.PostAsJsonAsync("/api/aggregate", new { question, strategy = "Decompose" });
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"aggregate: {(int)response.StatusCode} {text}");
            jobIds.Add(JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!);
        }

        using var models = await Client.GetAsync(new Uri("/v1/models", UriKind.Relative));
        var policies = JsonDocument.Parse(await models.Content.ReadAsStringAsync()).RootElement.GetProperty("data").EnumerateArray()
            .Select(m => m.GetProperty("id").GetString()!).Where(id => id.StartsWith("router:", StringComparison.Ordinal)).Select(id => id["router:".Length..]).ToList();
        return new FuzzTargets(Models, policies, requestIds, jobIds);
    }

    /// <summary>In local mode (the default): in-process queues, and POST /api/feedback and /api/aggregate mapped.</summary>
    public bool Local => !_settings.TryGetValue("Storage:Mode", out var mode) || mode is null || mode.Equals("Local", StringComparison.OrdinalIgnoreCase);

    /// <summary>Waits until the in-process queues have settled everything sent so far.</summary>
    public async Task<bool> QueuesSettleAsync(TimeSpan timeout)
    {
        var queues = Get<LocalQueues>();
        var deadline = DateTime.UtcNow + timeout;
        while (queues.All.Any(q => q.Pending > 0))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        _backendClient?.Dispose();
        _backend.Dispose();
    }

    /// <summary>Marks every answer that the app's pipeline produced (OnStarting survives the exception handler's Clear).</summary>
    private sealed class MarkSeen : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers[SeenHeader] = "1";
                    return Task.CompletedTask;
                });
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>Every model backend: an OpenAI-compatible answer, streamed when asked, whatever the request holds.</summary>
    private sealed class StubBackend : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement;
            var model = body.TryGetProperty("model", out var m) ? m.GetString() ?? "model" : "model";
            var stream = body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            var answer = "<answer>42</answer>";
            if (!stream)
            {
                return new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent(JsonSerializer.Serialize(new
                    {
                        id = "cmpl-1", @object = "chat.completion", created = 1, model,
                        choices = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" } },
                        usage = new { prompt_tokens = 12, completion_tokens = 4, total_tokens = 16 },
                    }), Encoding.UTF8, "application/json"),
                };
            }

            var chunk = JsonSerializer.Serialize(new
            {
                id = "cmpl-1", @object = "chat.completion.chunk", created = 1, model,
                choices = new[] { new { index = 0, delta = new { content = answer }, finish_reason = "stop" } },
            });
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                // Forward-only, as a socket's stream is: the SDK's SSE reader trips over a seekable one when it is disposed.
                Content = new StreamContent(new ForwardOnlyStream(Encoding.UTF8.GetBytes($"data: {chunk}\n\ndata: [DONE]\n\n")))
                {
                    Headers = { { "Content-Type", "text/event-stream" } },
                },
            };
        }
    }

    /// <summary>
    /// Collects Error-level log entries and every exception that reaches the exception handler (which .NET 10 no
    /// longer logs once an IExceptionHandler handles it): type, message and first frames.
    /// </summary>
    public sealed class ErrorLog : ILoggerProvider, IExceptionHandler
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _entries = new();
        private int _requestErrors;

        public IReadOnlyCollection<string> Entries => _entries;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        /// <summary>Kestrel's errors about the request (a body over the limit, bad chunking, too slow): answered as 4xx.</summary>
        public int RequestErrors => _requestErrors;

        public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is IOException && exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref _requestErrors);
            }
            else
            {
                _entries.Enqueue($"{httpContext.Request.Method} {httpContext.Request.Path}: {Describe(exception)}");
            }

            return ValueTask.FromResult(false);
        }

        internal static string Describe(Exception exception) =>
            $"{exception.GetType().FullName}: {exception.Message}{(exception.InnerException is { } inner ? $" (inner {inner.GetType().FullName}: {inner.Message})" : "")} | {string.Join(" | ", exception.StackTrace?.Split('\n').Select(f => f.Trim()).Take(4) ?? [])}";

        public void Dispose()
        {
        }

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                {
                    return;
                }

                entries.Enqueue($"{category}: {formatter(state, exception)}" + (exception is null ? "" : " — " + Describe(exception)));
            }
        }
    }
}
