using System.CommandLine;
using RouterFunctions.Cli;

var root = new RootCommand("RouterFunctions: train, evaluate and try routing profiles.")
{
    TrainCommand.Create(),
    EvalCommand.Create(),
    RouteCommand.Create(),
};
return await CliRunner.RunAsync(root, args, Console.Error);
