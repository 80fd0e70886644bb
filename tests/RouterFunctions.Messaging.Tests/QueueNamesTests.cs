using System.Text.Json;

namespace RouterFunctions.Messaging.Tests;

public sealed class QueueNamesTests
{
    [Fact]
    public void All_lists_each_queue_once()
    {
        Assert.Equal([QueueNames.Feedback, QueueNames.Retrain, QueueNames.AggregateCalls], QueueNames.All);
        Assert.Equal(QueueNames.All.Count, QueueNames.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void All_matches_the_queues_the_function_bindings_name()
    {
        // The names are duplicated in the workers app's functions/*/function.json; a rename on one side only would strand messages.
        var functions = Path.Combine(RepositoryRoot(), "src", "RouterFunctions.Workers", "functions");
        var bound = Directory.EnumerateFiles(functions, "function.json", SearchOption.AllDirectories)
            .SelectMany(path => JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() is "serviceBus" or "serviceBusTrigger")
            .Select(b => b.GetProperty("queueName").GetString()!)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(bound.Order(StringComparer.Ordinal), QueueNames.All.Order(StringComparer.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RouterFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No RouterFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
