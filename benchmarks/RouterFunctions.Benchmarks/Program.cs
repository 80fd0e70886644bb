using BenchmarkDotNet.Running;
using RouterFunctions.Benchmarks.Contention;

// "stats-contention" is a plain console run (it counts ETag retries, which BenchmarkDotNet has no column for).
if (args is ["stats-contention", .. var rest])
{
    return await StatsContention.RunAsync(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
