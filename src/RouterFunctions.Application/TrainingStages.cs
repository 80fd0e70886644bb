namespace RouterFunctions.Application;

/// <summary>The <see cref="StageProgress.Stage"/> names <see cref="ProfileTraining"/> reports, in order.</summary>
public static class TrainingStages
{
    public const string Embedding = "embedding";

    public const string CrossValidation = "cross-validation";

    public const string Fitting = "fitting";
}
