using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RouterFunctions.Chat.Tests;

/// <summary>A simulated model's configuration: no Endpoint, checked rates, and the shipped local configuration.</summary>
public sealed class SimulatedOptionsTests
{
    [Fact]
    public void A_simulated_model_needs_no_endpoint_and_binds_its_simulation()
    {
        using var provider = Services("""
            { "Models": [ { "Name": "sim", "Kind": "Simulated", "InputPricePerMillion": 1,
                            "Simulation": { "LatencyMs": 5, "FailureRate429": 0.1, "FailureRate5xx": 0.2, "TimeoutRate": 0.05, "Seed": 9 } },
                          { "Name": "plain", "Kind": "Simulated" } ] }
            """).BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var models = provider.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models;
        var simulation = models[0].Simulation!;
        Assert.Equal((5, 0.1, 0.2, 0.05, 9), (simulation.LatencyMs, simulation.FailureRate429, simulation.FailureRate5xx, simulation.TimeoutRate, simulation.Seed));
        Assert.Null(models[1].Simulation);
        var backends = provider.GetRequiredService<ChatBackends>();
        Assert.True(backends.Contains("sim"));
        Assert.IsType<SimulatedChatClient>(backends.Get("plain").GetService(typeof(SimulatedChatClient)));
    }

    [Theory]
    [InlineData(1.5, 0, 0, "Simulation:FailureRate429 1.5 must be a fraction of calls from 0 to 1")]
    [InlineData(0, -0.1, 0, "Simulation:FailureRate5xx -0.1 must be a fraction of calls from 0 to 1")]
    [InlineData(0, 0, double.NaN, "Simulation:TimeoutRate NaN must be a fraction of calls from 0 to 1")]
    [InlineData(0.5, 0.4, 0.2, "Simulation failure rates add up to 1.1")]
    public void Failure_rates_outside_0_to_1_or_adding_up_to_more_than_1_are_rejected(double r429, double r5xx, double timeout, string message)
    {
        var result = Validate(SimulatedChatClientTests.Simulated("sim", new SimulationOptions { FailureRate429 = r429, FailureRate5xx = r5xx, TimeoutRate = timeout }));

        Assert.True(result.Failed);
        Assert.Contains("Models:0 (sim): " + message, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_latency_is_rejected_and_the_other_checks_still_apply_to_a_simulated_model()
    {
        var model = SimulatedChatClientTests.Simulated("sim", new SimulationOptions { LatencyMs = -1 });
        model.InputPricePerMillion = -1;

        var result = Validate(model);

        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains("Simulation:LatencyMs -1 must be 0 to", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("InputPricePerMillion -1", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulation_settings_on_a_real_model_are_rejected_and_it_still_needs_its_endpoint()
    {
        var model = Models.Compatible();
        model.Simulation = new SimulationOptions();
        model.Endpoint = "";

        var result = Validate(model);

        Assert.Contains("Simulation applies only to Kind Simulated", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Endpoint '' must be an absolute http or https URI", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_local_configuration_is_valid_and_simulates_every_model_with_one_failing()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(LocalSimulatedJson(), optional: false).Build();
        using var provider = Services(configuration).BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var models = provider.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models;
        Assert.Equal(11, models.Count);
        Assert.All(models, m => Assert.Equal(ChatModelKind.Simulated, m.Kind));
        Assert.All(models, m => Assert.True(m.InputPricePerMillion > 0 && m.OutputPricePerMillion > 0, m.Name));
        var failing = Assert.Single(models, m => m.Simulation is { FailureRate5xx: > 0 } or { FailureRate429: > 0 } or { TimeoutRate: > 0 });
        Assert.Equal("zero-one-ai/Yi-34B-Chat", failing.Name);
        Assert.Contains(configuration["Aggregation:RouterModel"], models.Select(m => m.Name));
    }

    /// <summary>config/local-simulated.json of the repository this test was built from.</summary>
    private static string LocalSimulatedJson()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "config", "local-simulated.json");
            if (File.Exists(file))
            {
                return file;
            }
        }

        throw new FileNotFoundException("config/local-simulated.json not found above " + AppContext.BaseDirectory);
    }

    private static ValidateOptionsResult Validate(ChatModelOptions model)
    {
        var options = new ChatModelsOptions();
        options.Models.Add(model);
        return new ChatModelsOptionsValidation().Validate(null, options);
    }

    private static ServiceCollection Services(string json) =>
        Services(new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build());

    private static ServiceCollection Services(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddChatBackends(configuration);
        return services;
    }
}
