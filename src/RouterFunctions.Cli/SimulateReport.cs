using System.Globalization;
using RouterFunctions.Application.Simulation;

namespace RouterFunctions.Cli;

/// <summary>The simulate command's two outputs: the learning-curve table and one JSON object. Costs are per 1k queries.</summary>
internal static class SimulateReport
{
    public static void Print(TextWriter output, SimulationResult result, string? plot)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        output.WriteLine(Invariant(
            $"Simulated traffic: {result.Events} events after a seed of {result.SeedQueries} train queries; measured on {result.TestQueries} test queries (cost weight {result.CostWeight:0.###}, target {result.Target:0.####})"));
        var cold = result.ColdModel is not null;
        var header = Invariant($"{"events",8}  {"profile",7}  {"test AIQ",8}  {"$/1k at " + result.Target.ToString("0.####", CultureInfo.InvariantCulture),14}  {"cum. regret",11}  {"explore $",9}");
        output.WriteLine(cold ? header + Invariant($"  {"cold pred",9}  {"cold true",9}  {"chosen",6}") : header);
        foreach (var p in result.Checkpoints)
        {
            var line = Invariant($"{p.Events,8}  {"v" + p.ProfileVersion.ToString(CultureInfo.InvariantCulture),7}  {p.TestAiq,8:F4}  {Cost(p.CostAtTarget),14}  {p.CumulativeRegret,11:F2}  {p.ExplorationSpend,9:F4}");
            output.WriteLine(p.Cold is { } c ? line + Invariant($"  {c.Predicted,9:F4}  {c.True,9:F4}  {c.TimesChosen,6}") : line);
        }

        var last = result.Checkpoints[^1];
        output.WriteLine(Invariant($"Full-information profile (all train queries, every model's scores): test AIQ {result.FullInformationAiq:F4}, $/1k at {result.Target:0.####} {Cost(result.FullInformationCostAtTarget).Trim()}"));
        output.WriteLine(Invariant($"Final test AIQ {last.TestAiq:F4}: {result.FullInformationAiq - last.TestAiq:+0.0000;-0.0000;0.0000} from the full-information profile's; {result.Retrains} retrains, {result.Published} published"));
        if (result.ColdModel is { } model)
        {
            output.WriteLine(result.ColdModelWithinAt is { } at
                ? Invariant($"Cold model {model}: predicted test quality within {SimulationResult.ColdTolerance} of its true mean after {at} events")
                : Invariant($"Cold model {model}: predicted test quality not within {SimulationResult.ColdTolerance} of its true mean after {result.Events} events"));
        }

        if (plot is not null)
        {
            output.WriteLine($"Plot: {plot}");
        }
    }

    public static object ToJson(SimulationResult result, string? plot)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new
        {
            seedQueries = result.SeedQueries,
            events = result.Events,
            testQueries = result.TestQueries,
            costWeight = result.CostWeight,
            target = Round(result.Target),
            fullInformation = new { aiq = Round(result.FullInformationAiq), costPer1kAtTarget = Per1k(result.FullInformationCostAtTarget) },
            checkpoints = result.Checkpoints.Select(p => new
            {
                events = p.Events,
                profileVersion = p.ProfileVersion,
                testAiq = Round(p.TestAiq),
                costPer1kAtTarget = Per1k(p.CostAtTarget),
                cumulativeRegret = Round(p.CumulativeRegret),
                explorationSpend = Round(p.ExplorationSpend),
                retrain = p.Retrain,
                cold = p.Cold is { } c ? new { model = c.Model, predicted = Round(c.Predicted), @true = Round(c.True), timesChosen = c.TimesChosen } : null,
            }),
            coldModel = result.ColdModel,
            coldModelWithinAt = result.ColdModelWithinAt,
            retrains = result.Retrains,
            published = result.Published,
            plot,
        };
    }

    private static string Cost(double? cost) => cost is { } c ? (c * 1000).ToString("F4", CultureInfo.InvariantCulture) : "not reached";

    private static double? Per1k(double? cost) => cost is { } c ? Round(c * 1000) : null;

    private static double Round(double value) => Math.Round(value, 6);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
