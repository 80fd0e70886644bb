namespace RouterFunctions.Application;

/// <summary>
/// Turns training's stage counts into the log lines hosts have always written: "embedded n/N" about every tenth (and
/// at the end), "cross-validation fold f/F done" per fold. A log gets a handful of lines, not one per batch.
/// </summary>
internal sealed class TrainingProgressLines(IProgress<string> lines) : IProgress<StageProgress>
{
    private int? _nextEmbedded;

    public void Report(StageProgress value)
    {
        var tenth = Math.Max(value.Total / 10, 1);
        switch (value.Stage)
        {
            case TrainingStages.Embedding when value.Done > 0 && (value.Done >= (_nextEmbedded ??= tenth) || value.Done == value.Total):
                lines.Report($"embedded {value.Done}/{value.Total}");
                _nextEmbedded = value.Done + tenth;
                break;
            case TrainingStages.CrossValidation when value.Done > 0:
                lines.Report($"cross-validation fold {value.Done}/{value.Total} done");
                break;
        }
    }
}
