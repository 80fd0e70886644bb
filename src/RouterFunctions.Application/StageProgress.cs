namespace RouterFunctions.Application;

/// <summary>
/// How far a long use case has got through one of its stages: <paramref name="Done"/> of <paramref name="Total"/>
/// units (queries embedded, folds validated, …). Reported through an <see cref="IProgress{T}"/>, so a host renders it
/// as it likes (the CLI draws bars or prints lines) and the use case stays free of any console.
/// </summary>
public readonly record struct StageProgress(string Stage, int Done, int Total);
