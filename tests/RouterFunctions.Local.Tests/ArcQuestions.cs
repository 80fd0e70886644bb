using RouterFunctions.Application;
using RouterFunctions.Core.Data;

namespace RouterFunctions.Local.Tests;

/// <summary>ARC-challenge multiple-choice science questions from the data's test split: queries of one kind the profile never saw.</summary>
internal static class ArcQuestions
{
    private static readonly Lazy<IReadOnlyList<string>> All = new(() =>
        [.. DatasetFile.Read(DefaultPaths.TrainingData() ?? throw new InvalidOperationException("../shared/data is missing"), new DatasetReader())
            .Where(r => r.Split == DatasetSplit.Test && r.Task == "arc-challenge")
            .Select(r => r.Text)]);

    public static IReadOnlyList<string> Take(int count, int skip = 0) => [.. All.Value.Skip(skip).Take(count)];
}
