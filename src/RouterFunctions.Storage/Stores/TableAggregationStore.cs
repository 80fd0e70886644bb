using System.Globalization;
using System.Text.Json;
using RouterFunctions.Aggregation;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// One partition per job: the job's JSON in a row split across string properties (each under the 64 KiB limit), and
/// one row per call outcome, inserted once.
/// </summary>
public sealed class TableAggregationStore(IEntityTable table) : IAggregationStore
{
    private const int CharsPerProperty = 30_000;
    private const string JobRow = "job";

    public async Task<StoredJob?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await table.GetAsync(jobId, JobRow, cancellationToken) is not { } row)
        {
            return null;
        }

        var parts = (int)row.GetLong("Parts");
        var json = string.Concat(Enumerable.Range(0, parts).Select(i => row.GetString(Part(i))));
        return new StoredJob(AggregationJson.Deserialize(json), row.ETag);
    }

    public async Task<bool> TrySaveAsync(AggregationJob job, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var json = AggregationJson.Serialize(job);
        var row = new TableRow(job.Id, JobRow) { ETag = etag, ["Status"] = job.Status.ToString() };
        var parts = (json.Length + CharsPerProperty - 1) / CharsPerProperty;
        row["Parts"] = (long)parts;
        for (var i = 0; i < parts; i++)
        {
            row[Part(i)] = json.Substring(i * CharsPerProperty, Math.Min(CharsPerProperty, json.Length - (i * CharsPerProperty)));
        }

        try
        {
            await table.WriteAsync(new TableAction(etag is null ? TableWrite.Insert : TableWrite.Replace, row), cancellationToken);
            return true;
        }
        catch (TableWriteException e) when (e.Failure is TableWriteFailure.Conflict or TableWriteFailure.Precondition)
        {
            return false;
        }
    }

    public async Task<CallOutcome?> GetOutcomeAsync(string jobId, string callId, CancellationToken cancellationToken) =>
        await table.GetAsync(jobId, CallRow(callId), cancellationToken) is { } row
            ? JsonSerializer.Deserialize<CallOutcome>(row.GetString("Outcome") ?? "null", AggregationJson.Options)
            : null;

    public async Task<bool> TryAddOutcomeAsync(string jobId, string callId, CallOutcome outcome, CancellationToken cancellationToken)
    {
        var row = new TableRow(jobId, CallRow(callId)) { ["CallId"] = callId, ["Outcome"] = JsonSerializer.Serialize(outcome, AggregationJson.Options) };
        try
        {
            await table.WriteAsync(new TableAction(TableWrite.Insert, row), cancellationToken);
            return true;
        }
        catch (TableWriteException e) when (e.Failure == TableWriteFailure.Conflict)
        {
            return false;
        }
    }

    private static string Part(int i) => "Json" + i.ToString(CultureInfo.InvariantCulture);

    private static string CallRow(string callId) => "call-" + Keys.Hash(callId);
}
