using System.Globalization;
using System.Text.Json;
using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Cli;

/// <summary>The eval command's two outputs: a readable report and one JSON object. Costs are per 1k queries.</summary>
internal static class EvalReport
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static object ToJson(RouterEvaluation overall, IReadOnlyList<(string Task, RouterEvaluation Evaluation)> perTask, RoutingProfile profile, string plot) => new
    {
        queries = overall.Queries,
        profileVersion = profile.Version,
        scorer = profile.Notes.GetValueOrDefault("scorer"),
        aiq = Round(overall.Aiq),
        zeroRouterAiq = Round(overall.Baselines.ZeroRouterAiq),
        bestScore = Round(overall.BestScore),
        costPer1kAt = CostAt(overall),
        savingVsBestSingleAt = overall.CostAt.ToDictionary(
            kv => Key(kv.Key),
            kv => kv.Value is { } c ? Round(1 - (c / overall.Baselines.BestSingle.Cost)) : (double?)null),
        bestSingle = Point(overall.Baselines.BestSingleModel, overall.Baselines.BestSingle),
        oracle = Point("oracle", overall.Baselines.Oracle),
        random = Point("random", overall.Baselines.Random),
        perTask = perTask.Select(t => new
        {
            task = t.Task,
            queries = t.Evaluation.Queries,
            aiq = Round(t.Evaluation.Aiq),
            zeroRouterAiq = Round(t.Evaluation.Baselines.ZeroRouterAiq),
            bestScore = Round(t.Evaluation.BestScore),
            costPer1kAt = CostAt(t.Evaluation),
            bestSingle = Point(t.Evaluation.Baselines.BestSingleModel, t.Evaluation.Baselines.BestSingle),
            oracle = Point("oracle", t.Evaluation.Baselines.Oracle),
        }),
        plot,
    };

    public static void Print(TextWriter output, RouterEvaluation overall, IReadOnlyList<(string Task, RouterEvaluation Evaluation)> perTask, RoutingProfile profile, string plot)
    {
        var b = overall.Baselines;
        output.WriteLine(Invariant($"Router on {overall.Queries} queries (profile v{profile.Version}, {profile.Notes.GetValueOrDefault("scorer", "scorer not recorded")})"));
        output.WriteLine(Invariant($"  AIQ                 {overall.Aiq:F4}   (zero router {b.ZeroRouterAiq:F4}, {overall.Aiq - b.ZeroRouterAiq:+0.0000;-0.0000})"));
        output.WriteLine(Invariant($"  best mean score     {overall.BestScore:F4}"));
        foreach (var (q, cost) in overall.CostAt)
        {
            var text = cost is { } c ? Invariant($"${c * 1000:F2} per 1k ({Versus(c, b)})") : "not reached";
            output.WriteLine(Invariant($"  score ≥ {q:F4}      {text}"));
        }

        output.WriteLine();
        output.WriteLine("Baselines              score   $/1k");
        output.WriteLine(Invariant($"  best single          {b.BestSingle.Score:F4}  {b.BestSingle.Cost * 1000:F2}  ({b.BestSingleModel})"));
        output.WriteLine(Invariant($"  oracle               {b.Oracle.Score:F4}  {b.Oracle.Cost * 1000:F2}"));
        output.WriteLine(Invariant($"  random (expected)    {b.Random.Score:F4}  {b.Random.Cost * 1000:F2}"));
        if (perTask.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Per task            n     AIQ   zero-AIQ  best score  best single (score, $/1k)");
            foreach (var (task, e) in perTask)
            {
                output.WriteLine(Invariant($"  {task,-16} {e.Queries,4}  {e.Aiq:F4}  {e.Baselines.ZeroRouterAiq:F4}    {e.BestScore:F4}      {e.Baselines.BestSingleModel} ({e.Baselines.BestSingle.Score:F4}, {e.Baselines.BestSingle.Cost * 1000:F2})"));
            }
        }

        output.WriteLine();
        output.WriteLine($"Plot: {plot}");
    }

    /// <summary>"40% less than gpt-4", or "12% more than gpt-4" when the router pays more for that score (no negative saving).</summary>
    private static string Versus(double cost, Baselines b) => cost <= b.BestSingle.Cost
        ? Invariant($"{Percent(1 - (cost / b.BestSingle.Cost))} less than {b.BestSingleModel}")
        : Invariant($"{Percent((cost / b.BestSingle.Cost) - 1)} more than {b.BestSingleModel}");

    /// <summary>"25%": the invariant culture's P0 would print "25 %".</summary>
    private static string Percent(double share) => Invariant($"{share * 100:F0}%");

    private static Dictionary<string, double?> CostAt(RouterEvaluation e) =>
        e.CostAt.ToDictionary(kv => Key(kv.Key), kv => kv.Value is { } c ? Round(c * 1000) : (double?)null);

    private static object Point(string name, CurvePoint p) => new { name, score = Round(p.Score), costPer1k = Round(p.Cost * 1000) };

    private static string Key(double q) => q.ToString("0.####", CultureInfo.InvariantCulture);

    private static double Round(double v) => Math.Round(v, 4);

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
