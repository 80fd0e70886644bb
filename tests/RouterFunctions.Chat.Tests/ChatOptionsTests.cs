using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RouterFunctions.Chat.Tests;

/// <summary>The "Models" list as configuration gives it, checked at start-up, and the registrations on it.</summary>
public sealed class ChatOptionsTests
{
    private const string ValidJson = """
        {
          "Models": [
            {
              "Name": "gpt-4o-mini",
              "Kind": "AzureOpenAI",
              "Endpoint": "https://contoso-eastus.openai.azure.com/",
              "Model": "gpt-4o-mini-prod",
              "InputPricePerMillion": 0.15,
              "OutputPricePerMillion": 0.6,
              "Timeout": "00:00:30"
            },
            {
              "Name": "llama-3.1-8b",
              "Kind": "OpenAICompatible",
              "Endpoint": "http://vllm.internal:8000/v1",
              "Model": "meta-llama/Llama-3.1-8B-Instruct",
              "ApiKey": "sk-local",
              "InputPricePerMillion": 0,
              "OutputPricePerMillion": 0
            },
            {
              "Name": "phi-4",
              "Kind": "OpenAICompatible",
              "Endpoint": "http://localhost:11434/v1",
              "Enabled": false
            }
          ],
          "Failover": { "MaxAttempts": 2 }
        }
        """;

    [Fact]
    public void The_models_list_binds_with_its_defaults()
    {
        using var provider = Services(ValidJson).BuildServiceProvider();

        var models = provider.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models;

        Assert.Equal(["gpt-4o-mini", "llama-3.1-8b", "phi-4"], models.Select(m => m.Name));
        Assert.Equal(ChatModelKind.AzureOpenAI, models[0].Kind);
        Assert.Null(models[0].ApiKey);
        Assert.Equal(TimeSpan.FromSeconds(30), models[0].Timeout);
        Assert.Equal(new ModelPrices(0.15, 0.6), models[0].Prices);
        Assert.Equal(ChatModelKind.OpenAICompatible, models[1].Kind);
        Assert.Equal("sk-local", models[1].ApiKey);
        Assert.Equal(ChatModelOptions.DefaultTimeout, models[1].Timeout);
        Assert.True(models[1].Enabled);
        Assert.False(models[2].Enabled);
        Assert.Equal("phi-4", models[2].ModelOrName);
        Assert.Equal(2, provider.GetRequiredService<IOptions<FailoverOptions>>().Value.MaxAttempts);
    }

    [Fact]
    public void A_valid_list_starts_and_gives_backends_for_the_enabled_models_and_one_routing_chat_client()
    {
        var services = Services(ValidJson, routing: true);
        services.AddSingleton<IModelFailureSink>(new RecordingFailureSink());
        services.AddSingleton<IChatRouter>(new FixedRouter("req-1", "gpt-4o-mini"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(["gpt-4o-mini", "llama-3.1-8b"], provider.GetRequiredService<ChatBackends>().Clients.Keys.Order(StringComparer.Ordinal));
        var client = Assert.Single(provider.GetServices<IChatClient>());
        var routing = Assert.IsType<RoutingChatClient>(client.GetService(typeof(RoutingChatClient)));
        Assert.Equal(2, routing.MaxAttempts);
        Assert.Same(provider.GetRequiredService<RoutingChatClient>(), routing);
    }

    [Fact]
    public void The_registration_returns_the_builder_so_middleware_wraps_the_routing_client()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(ValidJson))).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IModelFailureSink>(new RecordingFailureSink());
        services.AddSingleton<IChatRouter>(new FixedRouter("req-1", "gpt-4o-mini"));
        services.AddRoutingChatClient(configuration, _ => new VerbatimHttpHandler(_ => throw new InvalidOperationException("no calls here")).Client())
            .Use(inner => new MarkerChatClient(inner));
        using var provider = services.BuildServiceProvider();

        var client = Assert.IsType<MarkerChatClient>(provider.GetRequiredService<IChatClient>());

        Assert.IsType<RoutingChatClient>(client.Inner);
        Assert.Equal(2, provider.GetRequiredService<ChatBackends>().Clients.Count);
    }

    [Fact]
    public void No_models_at_all_is_valid()
    {
        using var provider = Services("{}").BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Empty(provider.GetRequiredService<ChatBackends>().Clients);
    }

    [Fact]
    public void An_invalid_list_fails_start_up_naming_every_problem()
    {
        using var provider = Services("""
            {
              "Models": [
                { "Name": "a", "Kind": "AzureOpenAI", "Endpoint": "https://a.openai.azure.com/", "InputPricePerMillion": -1 },
                { "Name": "A", "Kind": "OpenAICompatible", "Endpoint": "/v1", "OutputPricePerMillion": 1 },
                { "Name": "", "Endpoint": "ftp://files.example/v1" },
                { "Name": "slow", "Endpoint": "https://slow.example/v1", "Timeout": "30" },
                { "Name": "blank", "Endpoint": "https://blank.example/v1", "Model": " " }
              ]
            }
            """).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var text = string.Join("\n", error.Failures);
        Assert.Contains("Models:0 (a): InputPricePerMillion -1", text, StringComparison.Ordinal);
        Assert.Contains("Models:1 (A): Endpoint '/v1' must be an absolute http or https URI", text, StringComparison.Ordinal);
        Assert.Contains("Models:2: Name is required", text, StringComparison.Ordinal);
        Assert.Contains("Endpoint 'ftp://files.example/v1'", text, StringComparison.Ordinal);
        Assert.Contains("Models:3 (slow): Timeout 30.00:00:00", text, StringComparison.Ordinal);
        Assert.Contains("Models:4 (blank): Model is blank", text, StringComparison.Ordinal);
        Assert.Contains("the name 'a' is used 2 times", text, StringComparison.Ordinal);
        Assert.Equal(7, error.Failures.Count());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.01)]
    public void A_price_must_be_a_finite_amount_of_zero_or_more(double price)
    {
        var model = Models.Compatible();
        model.OutputPricePerMillion = price;
        var options = new ChatModelsOptions();
        options.Models.Add(model);

        var result = new ChatModelsOptionsValidation().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("OutputPricePerMillion", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_and_an_excessive_timeout_are_rejected()
    {
        var options = new ChatModelsOptions();
        var zero = Models.Compatible("zero");
        zero.Timeout = TimeSpan.Zero;
        var long_ = Models.Compatible("long");
        long_.Timeout = TimeSpan.FromMinutes(11);
        options.Models.AddRange([zero, long_, Models.Azure()]);

        var result = new ChatModelsOptionsValidation().Validate(null, options);

        Assert.Equal(2, result.Failures!.Count());
    }

    [Fact]
    public void A_timeout_below_pollys_minimum_is_rejected()
    {
        var options = new ChatModelsOptions();
        var tiny = Models.Compatible("tiny");
        tiny.Timeout = TimeSpan.FromMilliseconds(5);
        options.Models.Add(tiny);

        var result = new ChatModelsOptionsValidation().Validate(null, options);

        Assert.Contains("at least 10 ms", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_model_retries_bind_default_to_none_and_are_bounded()
    {
        using var provider = Services("""{ "Models": [ { "Name": "r", "Endpoint": "https://r.example/v1", "Retries": 2, "RetryBaseDelay": "00:00:00.500" } ] }""").BuildServiceProvider();
        var model = Assert.Single(provider.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models);
        Assert.Equal(new ModelRetryOptions(2, TimeSpan.FromMilliseconds(500), ChatModelOptions.DefaultRetryMaxDelay), model.RetryOptions);
        Assert.Equal(0, Models.Compatible().Retries);

        var options = new ChatModelsOptions();
        var many = Models.Compatible("many");
        many.Retries = ChatModelOptions.MaxRetries + 1;
        var inverted = Models.Compatible("inverted");
        inverted.Retries = 1;
        inverted.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
        options.Models.AddRange([many, inverted]);

        var result = new ChatModelsOptionsValidation().Validate(null, options);

        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains("(many): Retries 6 must be 0 to 5", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("(inverted): RetryBaseDelay", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Failover_attempts_out_of_range_fail_start_up()
    {
        using var provider = Services("""{ "Failover": { "MaxAttempts": 0 } }""").BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Fact]
    public void Breaker_settings_bind_from_Failover_Breaker_and_every_enabled_model_gets_a_breaker()
    {
        using var provider = Services("""
            {
              "Models": [
                { "Name": "a", "Endpoint": "https://a.example/v1" },
                { "Name": "off", "Endpoint": "https://off.example/v1", "Enabled": false },
                { "Name": "b", "Kind": "Simulated" }
              ],
              "Failover": { "Breaker": { "FailureRatio": 0.25, "MinimumThroughput": 10, "SamplingDuration": "00:01:00", "BreakDuration": "00:00:15", "MaxRetryAfter": "00:02:00" } }
            }
            """).BuildServiceProvider();

        var health = provider.GetRequiredService<BackendHealthMonitor>();
        var backends = provider.GetRequiredService<ChatBackends>();

        Assert.Equal((0.25, 10, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(2)),
            (health.Options.FailureRatio, health.Options.MinimumThroughput, health.Options.SamplingDuration, health.Options.BreakDuration, health.Options.MaxRetryAfter));
        Assert.Same(health, provider.GetRequiredService<IBackendHealth>());
        Assert.Equal(["a", "b"], health.Snapshot().Select(s => s.Model));
        Assert.All(backends.Clients, c => Assert.Equal(c.Key, c.Value.GetService<CircuitBreakerChatClient>()?.Model));
    }

    [Fact]
    public void Breaker_settings_out_of_range_fail_start_up()
    {
        using var provider = Services("""{ "Failover": { "Breaker": { "FailureRatio": 2 } } }""").BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Failover:Breaker:FailureRatio 2 must be more than 0 and at most 1", error.Message, StringComparison.Ordinal);
    }

    private static ServiceCollection Services(string json, bool routing = false)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddChatBackends(configuration, _ => new VerbatimHttpHandler(_ => throw new InvalidOperationException("no calls here")).Client());
        if (routing)
        {
            // After AddChatBackends, as an application that registers both would: the models must not be bound twice.
            services.AddRoutingChatClient(configuration);
        }

        return services;
    }

    private sealed class MarkerChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public IChatClient Inner => InnerClient;
    }
}
