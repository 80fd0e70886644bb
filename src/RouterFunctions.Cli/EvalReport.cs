using System.Globalization;
using System.Text.Json;
using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Cli;

/// <summary>The eval command's two outputs: a readable report and one JSON object. Costs are per 1k queries.</summary>
internal static class EvalReport
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Rows left out by --exclude-flag: the flags asked for and how many rows carried one.</summary>
    public sealed record Exclusion(IReadOnlyList<string> Flags, int Rows);

    /// <summary>Where --decisions went: lines written, one per query and setting.</summary>
    public sealed record DecisionsFile(string Path, int Lines, int Settings);

    /// <summary>How the run was set up, beside the numbers: group key, targets (null = the default levels), exclusions, decisions.</summary>
    public sealed record Notes(string GroupBy, IReadOnlyList<ScoreTarget>? Targets, Exclusion Excluded, DecisionsFile? Decisions)
    {
        public static readonly Notes Default = new(EvalGrouping.Task, null, new Exclusion([], 0), null);
    }

    public static object ToJson(
        RouterEvaluation overall, IReadOnlyList<(string Task, RouterEvaluation Evaluation)> perGroup, RoutingProfile profile, string plot, Notes? notes = null)
    {
        ArgumentNullException.ThrowIfNull(overall);
        ArgumentNullException.ThrowIfNull(perGroup);
        ArgumentNullException.ThrowIfNull(profile);
        notes ??= Notes.Default;
        return new
        {
            queries = overall.Queries,
            profileVersion = profile.Version,
            scorer = profile.Notes.GetValueOrDefault("scorer"),
            excluded = new { flags = notes.Excluded.Flags, rows = notes.Excluded.Rows },
            aiq = Round(overall.Aiq),
            zeroRouterAiq = Round(overall.Baselines.ZeroRouterAiq),
            bestScore = Round(overall.BestScore),
            targets = Targets(overall, notes),
            costPer1kAt = CostAt(overall),
            savingVsBestSingleAt = overall.CostAt.ToDictionary(
                kv => Key(kv.Key),
                kv => kv.Value is { } c ? Round(1 - (c / overall.Baselines.BestSingle.Cost)) : (double?)null),
            twoModel = TwoModel(overall.TwoModel),
            bestSingle = Point(overall.Baselines.BestSingleModel, overall.Baselines.BestSingle),
            oracle = Point("oracle", overall.Baselines.Oracle),
            random = Point("random", overall.Baselines.Random),
            groupBy = notes.GroupBy,
            perGroup = perGroup.Select(t => new
            {
                group = t.Task,
                queries = t.Evaluation.Queries,
                aiq = Round(t.Evaluation.Aiq),
                zeroRouterAiq = Round(t.Evaluation.Baselines.ZeroRouterAiq),
                bestScore = Round(t.Evaluation.BestScore),
                costPer1kAt = CostAt(t.Evaluation),
                twoModel = TwoModel(t.Evaluation.TwoModel),
                bestSingle = Point(t.Evaluation.Baselines.BestSingleModel, t.Evaluation.Baselines.BestSingle),
                oracle = Point("oracle", t.Evaluation.Baselines.Oracle),
            }),
            decisions = notes.Decisions is { } d ? new { path = d.Path, lines = d.Lines, settings = d.Settings } : null,
            plot,
        };
    }

    public static void Print(
        TextWriter output, RouterEvaluation overall, IReadOnlyList<(string Task, RouterEvaluation Evaluation)> perGroup, RoutingProfile profile, string plot, Notes? notes = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(overall);
        ArgumentNullException.ThrowIfNull(perGroup);
        ArgumentNullException.ThrowIfNull(profile);
        notes ??= Notes.Default;
        var b = overall.Baselines;
        output.WriteLine(Invariant($"Router on {overall.Queries} queries (profile v{profile.Version}, {profile.Notes.GetValueOrDefault("scorer", "scorer not recorded")})"));
        if (notes.Excluded.Flags.Count > 0)
        {
            output.WriteLine(Invariant($"  skipped {notes.Excluded.Rows} rows flagged {string.Join(" or ", notes.Excluded.Flags)}"));
        }

        output.WriteLine(Invariant($"  AIQ                 {overall.Aiq:F4}   (zero router {b.ZeroRouterAiq:F4}, {overall.Aiq - b.ZeroRouterAiq:+0.0000;-0.0000})"));
        output.WriteLine(Invariant($"  best mean score     {overall.BestScore:F4}"));
        var labels = Labels(overall, notes);
        var heads = overall.CostAt.Keys.ToDictionary(q => q, q => Invariant($"score ≥ {q:F4}{(labels.TryGetValue(q, out var l) ? $" ({l})" : "")}"));
        var width = Math.Max(20, heads.Values.Select(h => h.Length).DefaultIfEmpty(0).Max() + 2); // the column of the AIQ lines, wider for a labelled target
        foreach (var (q, cost) in overall.CostAt)
        {
            var text = cost is { } c ? Invariant($"${c * 1000:F2} per 1k ({Versus(c, b)})") : "not reached";
            output.WriteLine($"  {heads[q].PadRight(width)}{text}");
        }

        if (overall.TwoModel is { } two)
        {
            output.WriteLine(Invariant($"  APGR                {two.Apgr:F4}   (random 0.5000; strong {two.Strong} {two.StrongScore:F4}, weak {two.Weak} {two.WeakScore:F4})"));
            foreach (var level in TwoModelMetrics.DefaultCptLevels)
            {
                output.WriteLine(Invariant($"  CPT({level * 100:F0}%)            {Share(two.Cpt(level))} of calls to {two.Strong} (random {level * 100:F0}%)"));
            }
        }

        output.WriteLine();
        output.WriteLine("Baselines              score   $/1k");
        output.WriteLine(Invariant($"  best single          {b.BestSingle.Score:F4}  {b.BestSingle.Cost * 1000:F2}  ({b.BestSingleModel})"));
        output.WriteLine(Invariant($"  oracle               {b.Oracle.Score:F4}  {b.Oracle.Cost * 1000:F2}"));
        output.WriteLine(Invariant($"  random (expected)    {b.Random.Score:F4}  {b.Random.Cost * 1000:F2}"));
        if (perGroup.Count > 0)
        {
            PrintGroups(output, perGroup, notes);
        }

        if (notes.Decisions is { } d)
        {
            output.WriteLine();
            output.WriteLine(Invariant($"Decisions: {d.Path} ({d.Lines} lines: {d.Settings} settings × {overall.Queries} queries)"));
        }

        output.WriteLine();
        output.WriteLine($"Plot: {plot}");
    }

    private static void PrintGroups(TextWriter output, IReadOnlyList<(string Task, RouterEvaluation Evaluation)> perGroup, Notes notes)
    {
        var title = $"Per {notes.GroupBy}";
        output.WriteLine();
        output.WriteLine($"{title,-18}  n     AIQ   zero-AIQ  best score  best single (score, $/1k)");
        foreach (var (group, e) in perGroup)
        {
            output.WriteLine(Invariant($"  {group,-16} {e.Queries,4}  {e.Aiq:F4}  {e.Baselines.ZeroRouterAiq:F4}    {e.BestScore:F4}      {e.Baselines.BestSingleModel} ({e.Baselines.BestSingle.Score:F4}, {e.Baselines.BestSingle.Cost * 1000:F2})"));
        }

        output.WriteLine();
        output.WriteLine($"{title}, $/1k at score");
        foreach (var (group, e) in perGroup)
        {
            var labels = Labels(e, notes);
            var cells = e.CostAt.Select(kv =>
                Invariant($"≥{kv.Key:F4}{(labels.TryGetValue(kv.Key, out var l) ? $" ({l})" : "")} {(kv.Value is { } c ? Invariant($"{c * 1000:F2}") : "—"),-6}"));
            output.WriteLine($"  {group,-16} {string.Join("  ", cells)}".TrimEnd());
        }

        if (perGroup.Any(g => g.Evaluation.TwoModel is not null))
        {
            output.WriteLine();
            output.WriteLine($"{title}, two models  n    APGR  CPT(50%)  CPT(80%)  strong / weak (score)");
            foreach (var (group, e) in perGroup)
            {
                output.WriteLine(e.TwoModel is { } t
                    ? Invariant($"  {group,-16} {e.Queries,4}  {t.Apgr:F4}  {Share(t.Cpt(0.5)),8}  {Share(t.Cpt(0.8)),8}  {t.Strong} {t.StrongScore:F4} / {t.Weak} {t.WeakScore:F4}")
                    : Invariant($"  {group,-16} {e.Queries,4}  —       (both models score the same here)"));
            }
        }
    }

    /// <summary>The target each resolved score came from, where it was relative (best-0.005 → 0.8744): the number alone hides that.</summary>
    private static Dictionary<double, string> Labels(RouterEvaluation e, Notes notes)
    {
        var labels = new Dictionary<double, string>();
        foreach (var t in notes.Targets ?? [])
        {
            if (t.RelativeToBest)
            {
                labels.TryAdd(t.Resolve(e.Baselines), t.ToString());
            }
        }

        return labels;
    }

    private static object? Targets(RouterEvaluation e, Notes notes) =>
        notes.Targets?.Select(t => new { target = t.ToString(), score = Round(t.Resolve(e.Baselines)) });

    private static object? TwoModel(TwoModelMetrics? t) => t is null ? null : new
    {
        strong = t.Strong,
        weak = t.Weak,
        strongScore = Round(t.StrongScore),
        weakScore = Round(t.WeakScore),
        apgr = Round(t.Apgr),
        cpt50 = t.Cpt(0.5) is { } c50 ? Round(c50) : (double?)null,
        cpt80 = t.Cpt(0.8) is { } c80 ? Round(c80) : (double?)null,
    };

    /// <summary>"40% less than gpt-4", or "12% more than gpt-4" when the router pays more for that score (no negative saving).</summary>
    private static string Versus(double cost, Baselines b) => cost <= b.BestSingle.Cost
        ? Invariant($"{Percent(1 - (cost / b.BestSingle.Cost))} less than {b.BestSingleModel}")
        : Invariant($"{Percent((cost / b.BestSingle.Cost) - 1)} more than {b.BestSingleModel}");

    /// <summary>"25%": the invariant culture's P0 would print "25 %".</summary>
    private static string Percent(double share) => Invariant($"{share * 100:F0}%");

    private static string Share(double? share) => share is { } s ? Invariant($"{s * 100:F1}%") : "—";

    private static Dictionary<string, double?> CostAt(RouterEvaluation e) =>
        e.CostAt.ToDictionary(kv => Key(kv.Key), kv => kv.Value is { } c ? Round(c * 1000) : (double?)null);

    private static object Point(string name, CurvePoint p) => new { name, score = Round(p.Score), costPer1k = Round(p.Cost * 1000) };

    private static string Key(double q) => q.ToString("0.####", CultureInfo.InvariantCulture);

    private static double Round(double v) => Math.Round(v, 4);

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
