using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RouterFunctions.Application.Configuration;
using RouterFunctions.Embeddings.Onnx;
using RouterFunctions.Storage;

namespace RouterFunctions.Application.Tests.Configuration;

/// <summary>
/// Relative paths in settings resolve against <see cref="RelativePathBase"/> (where the user stands), not the content
/// root; a file setting that names nothing stops start-up with a line naming the setting, the value and the fix.
/// </summary>
public sealed class SettingsPathsTests : IDisposable
{
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("routerfn-content-root-").FullName;
    private readonly string _userDirectory = Directory.CreateTempSubdirectory("routerfn-user-dir-").FullName;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public void Without_one_registered_the_base_is_the_current_directory()
    {
        var services = new ServiceCollection();
        services.AddRouterCore(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();

        Assert.Equal(Directory.GetCurrentDirectory(), provider.GetRequiredService<RelativePathBase>().Directory);
    }

    [Fact]
    public void A_relative_model_directory_resolves_against_the_base_not_the_content_root()
    {
        using var host = Build(new() { ["Embedding:ModelDirectory"] = Path.GetRelativePath(_userDirectory, ModelFiles.Directory) });

        var options = host.Services.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value;

        Assert.Equal(Path.GetFullPath(ModelFiles.Directory), options.ModelDirectory);
    }

    [Fact]
    public void A_relative_profile_path_resolves_against_the_base()
    {
        File.WriteAllText(Path.Combine(_userDirectory, "profile.json"), "{}");
        File.WriteAllText(Path.Combine(_contentRoot, "other.json"), "{}");
        using var host = Build(new() { ["Router:ProfilePath"] = "profile.json" });

        var options = host.Services.GetRequiredService<IOptions<RouterOptions>>().Value;

        Assert.Equal(Path.Combine(_userDirectory, "profile.json"), options.ProfilePath);
    }

    [Theory]
    [InlineData("Router:ProfilePath", "routerfn train -o")]
    [InlineData("Router:TrainingDataPath", "graded JSONL")]
    [InlineData("Router:ModelCatalogPath", "models.json")]
    public async Task A_file_setting_naming_no_file_stops_the_host_naming_the_setting_the_resolved_path_and_the_fix(string setting, string fix)
    {
        // There in the content root, not where the user stands: resolving against the content root would pass.
        File.WriteAllText(Path.Combine(_contentRoot, "missing.json"), "{}");
        using var host = Build(new() { [setting] = "missing.json" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancellation));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith($"{setting} = '{Path.Combine(_userDirectory, "missing.json")}': no such file; ", failure, StringComparison.Ordinal);
        Assert.Contains(fix, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_where_a_file_setting_wants_a_file_says_so()
    {
        using var host = Build(new() { ["Router:TrainingDataPath"] = _contentRoot });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancellation));

        Assert.StartsWith($"Router:TrainingDataPath = '{_contentRoot}': is a folder, not a file; ", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_local_store_directory_resolves_against_the_base_and_empty_stays_in_memory()
    {
        using var relative = Build(new() { ["Storage:LocalDirectory"] = "state" });
        using var empty = Build(new() { ["Storage:LocalDirectory"] = "" });

        Assert.Equal(Path.Combine(_userDirectory, "state"), relative.Services.GetRequiredService<IOptions<StorageOptions>>().Value.LocalDirectory);
        Assert.Equal("", empty.Services.GetRequiredService<IOptions<StorageOptions>>().Value.LocalDirectory);
    }

    public void Dispose()
    {
        Directory.Delete(_contentRoot, recursive: true);
        Directory.Delete(_userDirectory, recursive: true);
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _contentRoot });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Embedding:ModelDirectory"] = ModelFiles.Directory, ["Storage:LocalDirectory"] = "" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(new RelativePathBase(_userDirectory));
        builder.Services.AddRouterApplication(builder.Configuration);
        return builder.Build();
    }
}
