using System.CommandLine;
using System.Text.Json;
using RouterFunctions.Application;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Cli;

internal static class RouteCommand
{
    public static Command Create(TextWriter output, TextWriter log)
    {
        var query = new Argument<string>("query") { Description = "The query to route." };
        var profilePath = new Option<FileInfo>("--profile") { Description = "The profile to route with.", DefaultValueFactory = _ => new FileInfo(Path.Combine(".data", "profile.json")) };
        var costWeight = new Option<double>("--cost-weight") { Description = "0 = best quality, 1 = cheapest.", DefaultValueFactory = _ => RoutingPolicy.Default.CostWeight };
        var command = new Command("route", "Print the routing decision for one query.") { query, profilePath, costWeight, CliOptions.ModelDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var policy = new RoutingPolicy { CostWeight = parse.GetValue(costWeight) };
            if (policy.Validate() is { } bad)
            {
                throw new ArgumentException($"--cost-weight {bad.Problem}.");
            }

            var profile = await new FileProfileStore(parse.GetValue(profilePath)!.FullName).GetCurrentAsync(cancellationToken)
                ?? throw new FileNotFoundException($"No profile at {parse.GetValue(profilePath)!.FullName}; run 'train' first.");
            using var services = CliOptions.Services(parse);
            var embedder = services.Embedder();
            var vector = embedder.Embed([parse.GetValue(query)!])[0];
            var decision = new Router(profile).Decide(vector, policy);
            output.WriteLine(JsonSerializer.Serialize(decision, EvalReport.JsonOptions));
            return 0;
        });
        return command;
    }
}
