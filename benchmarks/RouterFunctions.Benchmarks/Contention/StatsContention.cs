using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;
using RouterFunctions.Testing;

namespace RouterFunctions.Benchmarks.Contention;

/// <summary>
/// Concurrent ingesters on Azurite, each a store instance of its own (its own client, as a separate Functions instance
/// would be), applying a fixed number of distinct feedback events to a few hot cells: ETag retries per event and events
/// per second for 1, 2, 4, 8, 16 ingesters. Every run checks the folded totals against the events applied.
/// </summary>
internal static class StatsContention
{
    private const int Clusters = 6;
    private const int Models = 11;

    public static async Task<int> RunAsync(string[] args)
    {
        var events = Option(args, "--events", 200);
        var ingesterCounts = Options(args, "--ingesters", [1, 2, 4, 8, 16]);
        var modes = Options(args, "--shards", [1]);
        await using var azurite = await AzuriteProcess.TryStartAsync()
            ?? throw new InvalidOperationException("Azurite is not installed: set AZURITE_TABLE_BIN.");
        Console.WriteLine($"{events} events per ingester, {Clusters} clusters × {Models} models, Azurite on 127.0.0.1:{azurite.Port}");
        Console.WriteLine();
        Console.WriteLine("| shards | ingesters | events | ETag retries | retries / event | reads / event | events/s |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var shards in modes)
        {
            foreach (var ingesters in ingesterCounts)
            {
                var result = await RunOnceAsync(azurite.ConnectionString, shards, ingesters, events);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {shards} | {ingesters} | {result.Events} | {result.Retries} | {result.Retries / (double)result.Events:F3} | {result.Reads / (double)result.Events:F2} | {result.Events / result.Seconds:F0} |"));
            }
        }

        return 0;
    }

    private static async Task<(int Events, long Retries, long Reads, double Seconds)> RunOnceAsync(string connection, int shards, int ingesters, int eventsEach)
    {
        var name = "bench" + Guid.NewGuid().ToString("N")[..12];
        var tables = Enumerable.Range(0, ingesters).Select(_ => new CountingEntityTable(new AzureEntityTable(new TableServiceClient(connection), name))).ToList();
        var stores = tables.Select((t, i) => NewStore(t, shards, i)).ToList();
        var applied = new int[ingesters];

        // Create the table first: the timed part is the ingestion only.
        await tables[0].GetAsync("warm", "up", CancellationToken.None);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, ingesters).Select(i => Task.Run(async () =>
        {
            var random = new Random(i);
            for (var k = 0; k < eventsEach; k++)
            {
                var contributions = Contributions(random);
                applied[i] += (await stores[i].ApplyAsync(1, $"i{i}-e{k}", contributions, CancellationToken.None)).Applied;
            }
        })));
        clock.Stop();

        var read = await NewStore(new CountingEntityTable(new AzureEntityTable(new TableServiceClient(connection), name)), shards, ingesters)
            .ReadAsync(1, Clusters, Models, CancellationToken.None);
        var total = read.Values.Sum(cells => cells.Sum(c => c.Count));
        var contributionsApplied = applied.Sum();
        if (Math.Abs(total - (ingesters * eventsEach)) > 1e-6)
        {
            throw new InvalidOperationException($"Folded weight {total} after {ingesters * eventsEach} events ({contributionsApplied} contributions).");
        }

        return (ingesters * eventsEach, tables.Sum(t => t.Retries), tables.Sum(t => t.Reads), clock.Elapsed.TotalSeconds);
    }

    // Each ingester a process of its own: its own identity (so its home shard comes from the same hash as in production).
    private static TableStatsStore NewStore(IEntityTable table, int shards, int ingester) =>
        new(table, new StatsShards(shards, $"bench-instance-{ingester}/{Environment.ProcessId}"));

    // One model, 1–3 of the 6 clusters with weights summing to 1 (as the concurrency conformance test).
    private static List<StatsContribution> Contributions(Random random)
    {
        var model = random.Next(Models);
        var (score, cost) = (random.NextDouble(), random.NextDouble() * 0.01);
        var clusters = Enumerable.Range(0, Clusters).OrderBy(_ => random.Next()).Take(random.Next(20) switch { < 16 => 1, < 19 => 2, _ => 3 }).ToList();
        var raw = clusters.Select(_ => 0.05 + random.NextDouble()).ToList();
        return [.. clusters.Select((c, i) => new StatsContribution(c, model, raw[i] / raw.Sum(), score, cost))];
    }

    private static int Option(string[] args, string name, int fallback) => Options(args, name, [fallback])[0];

    private static int[] Options(string[] args, string name, int[] fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length
            ? [.. args[at + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]
            : fallback;
    }
}
