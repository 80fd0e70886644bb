using RouterFunctions.Core.Data;

namespace RouterFunctions.Core.Metrics;

/// <summary>Graded outcomes of every model on every query of an evaluation set, as dense arrays.</summary>
public sealed class OutcomeTable
{
    public OutcomeTable(IReadOnlyList<string> models, IReadOnlyList<IReadOnlyDictionary<string, ModelOutcome>> rows)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(rows);
        Models = models;
        Score = new double[rows.Count][];
        Cost = new double[rows.Count][];
        for (var q = 0; q < rows.Count; q++)
        {
            Score[q] = new double[models.Count];
            Cost[q] = new double[models.Count];
            for (var m = 0; m < models.Count; m++)
            {
                if (!rows[q].TryGetValue(models[m], out var outcome))
                {
                    throw new ArgumentException($"Row {q} has no result for model '{models[m]}'.", nameof(rows));
                }

                (Score[q][m], Cost[q][m]) = (outcome.Score, outcome.Cost);
            }
        }
    }

    public IReadOnlyList<string> Models { get; }

    public double[][] Score { get; }

    public double[][] Cost { get; }

    public int Count => Score.Length;

    /// <summary>Mean cost and score when query q goes to model picks[q].</summary>
    public CurvePoint Evaluate(ReadOnlySpan<int> picks)
    {
        double cost = 0, score = 0;
        for (var q = 0; q < picks.Length; q++)
        {
            cost += Cost[q][picks[q]];
            score += Score[q][picks[q]];
        }

        return new CurvePoint(cost / Math.Max(picks.Length, 1), score / Math.Max(picks.Length, 1));
    }

    public CurvePoint AllTo(int model)
    {
        var picks = new int[Count];
        Array.Fill(picks, model);
        return Evaluate(picks);
    }

    public OutcomeTable Subset(IReadOnlyList<int> rows) => new(Models, this, rows);

    private OutcomeTable(IReadOnlyList<string> models, OutcomeTable source, IReadOnlyList<int> rows)
    {
        Models = models;
        Score = [.. rows.Select(r => source.Score[r])];
        Cost = [.. rows.Select(r => source.Cost[r])];
    }
}
