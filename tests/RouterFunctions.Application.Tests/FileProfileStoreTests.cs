using System.Text.Json;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Application.Tests;

public sealed class FileProfileStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-hosting-store-").FullName;

    private string ProfilePath => Path.Combine(_directory, "profile.json");

    [Fact]
    public async Task GetCurrentAsync_returns_null_when_nothing_was_published()
    {
        var store = new FileProfileStore(ProfilePath);

        var current = await store.GetCurrentAsync(TestContext.Current.CancellationToken);

        Assert.Null(current);
        Assert.False(File.Exists(ProfilePath));
    }

    [Fact]
    public void Path_is_the_full_path_of_the_one_given()
    {
        var relative = Path.Combine("some", "folder", "profile.json");

        var store = new FileProfileStore(relative);

        Assert.Equal(Path.GetFullPath(relative), store.Path);
        Assert.True(Path.IsPathFullyQualified(store.Path));
    }

    [Fact]
    public async Task Publish_then_GetCurrentAsync_returns_the_same_profile()
    {
        var store = new FileProfileStore(ProfilePath);
        var original = SampleProfiles.Small(version: 5);

        await store.PublishAsync(original, TestContext.Current.CancellationToken);
        var copy = await store.GetCurrentAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(copy);
        Assert.Equal(5, copy.Version);
        Assert.Equal(original.CreatedAt, copy.CreatedAt);
        Assert.Equal(original.EmbeddingModelId, copy.EmbeddingModelId);
        Assert.Equal(original.Models, copy.Models);
        Assert.Equal(original.Groups, copy.Groups);
        Assert.Equal(original.Centroids.Count, copy.Centroids.Count);
        for (var c = 0; c < original.Centroids.Count; c++)
        {
            Assert.Equal(original.Centroids[c], copy.Centroids[c]);
            Assert.Equal(original.Cells[c], copy.Cells[c]);
        }

        Assert.Equal(original.CentroidGroups, copy.CentroidGroups);
        Assert.Equal(original.GroupCells.Count, copy.GroupCells.Count);
        Assert.Equal(original.GroupCells[1], copy.GroupCells[1]);
        Assert.Equal(original.Global, copy.Global);
        Assert.NotNull(copy.Heads);
        Assert.Equal(original.Heads![0][0]!.Weights, copy.Heads[0][0]!.Weights);
        Assert.Equal(original.Heads[0][0]!.Bias, copy.Heads[0][0]!.Bias);
        Assert.Null(copy.Heads[0][1]);
        Assert.Null(copy.Heads[1][0]);
        Assert.Equal(original.Heads[1][1]!.Weights, copy.Heads[1][1]!.Weights);
        Assert.Equal(original.Scorer, copy.Scorer);
        Assert.Equal(double.PositiveInfinity, copy.OodThreshold);
        Assert.Equal(original.Notes, copy.Notes);
    }

    [Fact]
    public async Task Publish_writes_the_profile_json_that_the_api_and_cli_share()
    {
        var store = new FileProfileStore(ProfilePath);
        var profile = SampleProfiles.Small();

        await store.PublishAsync(profile, TestContext.Current.CancellationToken);

        Assert.Equal(ProfileJson.Serialize(profile), await File.ReadAllTextAsync(ProfilePath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Publish_creates_missing_directories()
    {
        var path = Path.Combine(_directory, "a", "b", "c", "profile.json");
        var store = new FileProfileStore(path);

        await store.PublishAsync(SampleProfiles.Small(version: 2), TestContext.Current.CancellationToken);

        Assert.True(File.Exists(path));
        Assert.Equal(2, (await store.GetCurrentAsync(TestContext.Current.CancellationToken))?.Version);
    }

    [Fact]
    public async Task Publish_over_an_existing_profile_replaces_it_and_leaves_no_temporary_file()
    {
        var store = new FileProfileStore(ProfilePath);
        await store.PublishAsync(SampleProfiles.Large(version: 1), TestContext.Current.CancellationToken);

        await store.PublishAsync(SampleProfiles.Small(version: 2), TestContext.Current.CancellationToken);
        var current = await store.GetCurrentAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, current?.Version);
        Assert.Equal(SampleProfiles.Small().Centroids.Count, current?.Centroids.Count);
        Assert.Equal([ProfilePath], Directory.GetFiles(_directory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_reader_never_sees_a_partly_written_profile_while_publishes_replace_it()
    {
        const int Publishes = 60;
        var cancellationToken = TestContext.Current.CancellationToken;
        var store = new FileProfileStore(ProfilePath);
        var profiles = Enumerable.Range(1, Publishes).Select(v => SampleProfiles.Large(v)).ToList();
        await store.PublishAsync(profiles[0], cancellationToken);
        var published = 0;

        var writer = Task.Run(
            async () =>
            {
                foreach (var profile in profiles.Skip(1))
                {
                    await store.PublishAsync(profile, cancellationToken);
                }

                Volatile.Write(ref published, 1);
            },
            cancellationToken);
        var reader = Task.Run(
            async () =>
            {
                var versions = new List<int>();
                var failures = new List<string>();
                while (Volatile.Read(ref published) == 0 && !writer.IsFaulted)
                {
                    try
                    {
                        var profile = await store.GetCurrentAsync(cancellationToken);
                        if (profile is null)
                        {
                            failures.Add("the profile was missing");
                        }
                        else
                        {
                            versions.Add(profile.Version);
                            if (profile.Centroids.Count != profiles[profile.Version - 1].Centroids.Count)
                            {
                                failures.Add($"version {profile.Version} has {profile.Centroids.Count} centroids");
                            }
                        }
                    }
                    catch (Exception e) when (e is JsonException or IOException)
                    {
                        failures.Add(e.GetType().Name + ": " + e.Message);
                    }
                }

                return (versions, failures);
            },
            cancellationToken);
        await writer;
        var (versions, failures) = await reader;

        Assert.Empty(failures);
        Assert.NotEmpty(versions);
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(Publishes, (await store.GetCurrentAsync(cancellationToken))?.Version);
        Assert.Equal([ProfilePath], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task GetCurrentVersionAsync_is_null_before_a_publish_and_the_published_version_after()
    {
        var store = new FileProfileStore(ProfilePath);
        var before = await store.GetCurrentVersionAsync(TestContext.Current.CancellationToken);

        await store.PublishAsync(SampleProfiles.Small(version: 11), TestContext.Current.CancellationToken);

        Assert.Null(before);
        Assert.Equal(11, await store.GetCurrentVersionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryPublishAsync_into_an_empty_store_succeeds_when_no_current_version_is_expected()
    {
        var store = new FileProfileStore(ProfilePath);

        var published = await store.TryPublishAsync(SampleProfiles.Small(version: 1), expectedCurrent: null, TestContext.Current.CancellationToken);

        Assert.True(published);
        Assert.Equal(1, await store.GetCurrentVersionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryPublishAsync_replaces_the_profile_when_the_expected_version_is_current()
    {
        var store = new FileProfileStore(ProfilePath);
        await store.PublishAsync(SampleProfiles.Small(version: 4), TestContext.Current.CancellationToken);

        var published = await store.TryPublishAsync(SampleProfiles.Small(version: 5), expectedCurrent: 4, TestContext.Current.CancellationToken);

        Assert.True(published);
        Assert.Equal(5, await store.GetCurrentVersionAsync(TestContext.Current.CancellationToken));
        Assert.Equal([ProfilePath], Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(null)]
    public async Task TryPublishAsync_refuses_and_leaves_the_file_alone_when_another_version_is_current(int? expected)
    {
        var store = new FileProfileStore(ProfilePath);
        await store.PublishAsync(SampleProfiles.Small(version: 4), TestContext.Current.CancellationToken);
        var before = await File.ReadAllTextAsync(ProfilePath, TestContext.Current.CancellationToken);

        var published = await store.TryPublishAsync(SampleProfiles.Small(version: 5), expected, TestContext.Current.CancellationToken);

        Assert.False(published);
        Assert.Equal(before, await File.ReadAllTextAsync(ProfilePath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Publish_rejects_a_null_profile()
    {
        var store = new FileProfileStore(ProfilePath);

        await Assert.ThrowsAsync<ArgumentNullException>(() => store.PublishAsync(null!, TestContext.Current.CancellationToken));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
