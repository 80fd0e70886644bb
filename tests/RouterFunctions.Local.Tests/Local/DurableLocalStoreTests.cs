using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RouterFunctions.Local.Tests.Configuration;
using RouterFunctions.Storage;
using RouterFunctions.Storage.Local;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Local.Tests.Local;

/// <summary>
/// The real local router process on a data folder of the test's: killed with SIGKILL in the middle of a feedback
/// burst and restarted on the same folder, it loses no event it answered 202 for and counts none twice; and a second
/// process on a folder that one already uses is refused at start.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DurableLocalStoreTests(RouterAppFixture fixture) : IDisposable
{
    private const int Routes = 30;
    private const int Posts = 3_000;
    private const int KillAfterAccepted = 1_500;
    private const int Concurrency = 32;

    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-durable-").FullName;

    private string Data => Path.Combine(_directory, "data");

    private string[] Args =>
    [
        "--Router:ProfilePath", fixture.ProfilePath, "--Storage:LocalDirectory", Data,
        // No retrain mid-test: the counts stay on the first profile version.
        "--Feedback:RetrainAfterEvents=1000000", "--Feedback:DriftMinCount=1000000",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Killed_mid_burst_and_restarted_it_counts_every_accepted_feedback_event_exactly_once()
    {
        var clock = Stopwatch.StartNew();
        var accepted = new ConcurrentBag<string>();
        var acceptedPosts = new ConcurrentBag<int>();
        var requestIds = new List<string>();
        // Each event its own id: without one, posts on the same requestId would share the natural key.
        object Body(int i) => new { id = $"burst-{i}", requestId = requestIds[i % Routes], score = i % 3 == 0 ? 1 : 0 };
        var first = LocalRouterProcess.Start(_directory, Args);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(await ListeningAddressAsync(first)), Timeout = TimeSpan.FromSeconds(20) };
            await WaitUntilReadyAsync(client);
            foreach (var query in ArcQuestions.Take(Routes, skip: 100))
            {
                requestIds.Add((await TestApp.RouteAsync(client, query)).RequestId);
            }

            var next = -1;
            var killed = 0;
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
            {
                while (Volatile.Read(ref killed) == 0 && Interlocked.Increment(ref next) is var i && i < Posts)
                {
                    try
                    {
                        using var response = await client.PostAsJsonAsync("/api/feedback", Body(i), Ct);
                        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                        accepted.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!);
                        acceptedPosts.Add(i);
                    }
                    catch (HttpRequestException) when (Volatile.Read(ref killed) == 1)
                    {
                        return; // the process is gone: this request got no 202
                    }

                    if (accepted.Count >= KillAfterAccepted && Interlocked.Exchange(ref killed, 1) == 0)
                    {
                        first.Kill(); // SIGKILL: no shutdown, no flush, the queue mid-way
                    }
                }
            }));
            Assert.Equal(1, killed);
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(Ct);
            first.Dispose();
        }

        var acceptedIds = accepted.ToHashSet(StringComparer.Ordinal);
        var killedAt = clock.Elapsed;
        var (storedAtKill, queuedAtKill) = await AtKillAsync();
        var second = LocalRouterProcess.Start(_directory, Args);
        double counted;
        long received;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(await ListeningAddressAsync(second)) };
            await WaitUntilReadyAsync(client);
            (received, counted) = await DrainedAsync(client, acceptedIds.Count);

            // A client that never saw its 202s resends everything: every resend is accepted again and counts nothing.
            var posts = acceptedPosts.ToArray();
            await Parallel.ForEachAsync(posts, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = Ct }, async (i, ct) =>
            {
                using var response = await client.PostAsJsonAsync("/api/feedback", Body(i), ct);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            });
            await Task.Delay(2_000, Ct); // the resent messages go through ingestion
            Assert.Equal((received, counted), await DrainedAsync(client, acceptedIds.Count));
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync(Ct);
            second.Dispose();
        }

        // The store as the router left it: every accepted event in it once, and counted once.
        using var database = LocalDatabase.Open(Data);
        var stored = await new TableFeedbackStore(new SqliteEntityTable(database, TableNames.Feedback)).ListAsync(Ct).Select(e => e.Id).ToListAsync(Ct);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"accepted {acceptedIds.Count} of {Posts} before the kill at {killedAt.TotalSeconds:F1} s, when {storedAtKill} were stored and {queuedAtKill} still on the queue; after the restart: received {received}, counted {counted}, stored {stored.Count}, drained at {clock.Elapsed.TotalSeconds:F1} s");
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(acceptedIds.Count >= KillAfterAccepted, summary);
        Assert.Empty(acceptedIds.Except(stored));
        Assert.Equal(stored.Count, stored.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(stored.Count, received);
        Assert.Equal(received, counted, 6);
        Assert.True(queuedAtKill > 0, "the kill came after the queue had drained: nothing was tested: " + summary);
        // At most the requests under way at the kill were stored without their 202 reaching the client.
        Assert.InRange(stored.Count, acceptedIds.Count, acceptedIds.Count + Concurrency);
    }

    [Fact]
    public async Task A_second_router_on_a_data_folder_in_use_exits_with_code_2_and_one_line_naming_the_file_and_the_fix()
    {
        using var first = LocalRouterProcess.Start(_directory, Args);
        try
        {
            await ListeningAddressAsync(first);

            var second = await LocalRouterProcess.RunAsync(_directory, Args);

            var database = Path.Combine(Data, LocalDatabase.FileName);
            Assert.True(second.ExitCode == 2, $"exit code {second.ExitCode}: {string.Join('\n', second.Stderr.Concat(second.Stdout))}");
            var line = Assert.Single(second.Stderr);
            Assert.Equal(
                $"error: Storage:LocalDirectory = '{Data}': {database} is in use by another router process (it holds {Path.Combine(Data, LocalDatabase.LockFileName)}); " +
                "stop that process, or give this one a Storage:LocalDirectory of its own",
                line);
            Assert.False(first.HasExited);
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(Ct);
        }
    }

    [Fact]
    public async Task A_router_on_a_file_that_is_not_its_database_exits_with_code_2_and_leaves_the_file_as_it_was()
    {
        Directory.CreateDirectory(Data);
        var path = Path.Combine(Data, LocalDatabase.FileName);
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes, Ct);

        var run = await LocalRouterProcess.RunAsync(_directory, Args);

        Assert.True(run.ExitCode == 2, $"exit code {run.ExitCode}: {string.Join('\n', run.Stderr.Concat(run.Stdout))}");
        Assert.StartsWith($"error: Storage:LocalDirectory = '{Data}': {path} is not a SQLite database", Assert.Single(run.Stderr), StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path, Ct));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // What the killed process left: events stored (ingested) and messages not yet settled on the feedback queue.
    private async Task<(int Stored, long Queued)> AtKillAsync()
    {
        long queued;
        int stored;
        using (var database = LocalDatabase.Open(Data))
        {
            stored = await new TableFeedbackStore(new SqliteEntityTable(database, TableNames.Feedback)).ListAsync(Ct).CountAsync(Ct);
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.FilePath};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM queue_messages WHERE queue = 'feedback' AND dead_letter_error IS NULL";
            queued = (long)command.ExecuteScalar()!;
        }

        return (stored, queued);
    }

    // Until every accepted event is counted and nothing has moved for a second: the queue has drained.
    private static async Task<(long Received, double Counted)> DrainedAsync(HttpClient client, int accepted)
    {
        var deadline = Stopwatch.StartNew();
        (long, double) last = (-1, -1);
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var feedback = (await client.GetFromJsonAsync<JsonElement>("/api/stats", Ct)).GetProperty("feedback");
            var now = (feedback.GetProperty("received").GetInt64(), feedback.GetProperty("counted").GetDouble());
            if (now.Item2 >= accepted && now == last)
            {
                return now;
            }

            last = now;
            await Task.Delay(1_000, Ct);
        }

        Assert.Fail($"the queue did not drain: received and counted {last} of {accepted} accepted");
        return last;
    }

    private static async Task WaitUntilReadyAsync(HttpClient client)
    {
        var health = await RouterAppFactory.WaitUntilReadyAsync(client, seconds: 30);
        Assert.True(health.GetProperty("status").GetString() == "ready", health.ToString());
    }

    private static async Task<string> ListeningAddressAsync(Process process)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        const string marker = "Now listening on: ";
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                // Keep reading so the process never blocks on a full stdout pipe.
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                return line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim();
            }
        }

        Assert.Fail($"the local router exited before listening: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
        return "";
    }
}
