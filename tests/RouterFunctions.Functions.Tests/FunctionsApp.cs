using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RouterFunctions.Application;
using RouterFunctions.Chat;
using RouterFunctions.Http;
using RouterFunctions.Http.Security;
using RouterFunctions.Messaging;
using RouterFunctions.Testing.Doubles;

namespace RouterFunctions.Functions.Tests;

/// <summary>
/// The Functions app's composition (what Program registers: the application, the Service Bus adapter, the HTTP
/// pieces, the guards) on a generic host instead of the worker's, with the Service Bus client replaced by a recording
/// one, local storage in memory, and optionally the model backends answered by a scripted handler and a fake clock.
/// Function classes are made as the worker makes them: by ActivatorUtilities over the container.
/// </summary>
public sealed class FunctionsApp : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly HttpClient? _backendClient;

    private FunctionsApp(IHost host, RecordingServiceBusClient bus, HttpClient? backendClient)
    {
        _host = host;
        Bus = bus;
        _backendClient = backendClient;
    }

    public RecordingServiceBusClient Bus { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>An app; started (the profile file published and loaded, waited for) unless <paramref name="start"/> is false.</summary>
    public static async Task<FunctionsApp> StartAsync(
        string? profilePath,
        Dictionary<string, string?>? settings = null,
        HttpMessageHandler? backend = null,
        TimeProvider? time = null,
        bool start = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Mode"] = "Local",
            ["Storage:LocalDirectory"] = "",
            ["Router:ProfilePath"] = profilePath,
            // Validated at start like the deployed app's; the recording client below means nothing connects to it.
            ["ServiceBusConnection:connectionString"] = "Endpoint=sb://test.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);

        var bus = new RecordingServiceBusClient();
        var backendClient = backend is null ? null : new HttpClient(backend, disposeHandler: false);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        // The real adapter over the recording client, registered first so AddServiceBusMessaging keeps it.
        builder.Services.AddSingleton(_ => new ServiceBusMessageSender(bus));

        // As Program.cs registers them.
        builder.Services.AddRouterApplication(builder.Configuration);
        builder.Services.AddServiceBusMessaging(builder.Configuration);
        builder.Services.AddSingleton(new EntraAuthenticationState(builder.Services.AddRouterHttp(builder.Configuration)));
        builder.Services.AddSingleton<HttpGuards>();

        if (backendClient is not null)
        {
            // Every model request goes to the scripted handler (last registration wins).
            builder.Services.AddSingleton(sp => new ChatBackends(sp.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models, backendClient));
        }

        var app = new FunctionsApp(builder.Build(), bus, backendClient);
        if (start)
        {
            try
            {
                await app._host.StartAsync();
                var startup = app.Get<ProfileStartup>();
                await startup.Completion.WaitAsync(TimeSpan.FromSeconds(120));
                Assert.True(startup.Status == "ready", startup.Status);
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }

        return app;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A function class as the worker activates it.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>Every message sent to <paramref name="queue"/> through the Service Bus SDK, in order.</summary>
    public IReadOnlyList<ServiceBusMessage> Sent(string queue) =>
        Bus.Senders.TryGetValue(queue, out var sender) ? [.. sender.Sends.SelectMany(batch => batch)] : [];

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        catch (OperationCanceledException)
        {
        }

        // The Service Bus sender is only IAsyncDisposable: the container must be disposed asynchronously.
        await ((IAsyncDisposable)_host).DisposeAsync();
        _backendClient?.Dispose();
    }
}
