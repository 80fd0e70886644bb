using Azure;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Tables;

/// <summary>
/// Storage going away and coming back: calls fail as transport errors (which callers treat as "storage unreachable"),
/// never as a refused write, and the same objects work again once it is back. The class has an Azurite of its own,
/// which its tests stop and start.
/// </summary>
public sealed class AzureOutageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    // Azurite saves its database every 5 s; a write is on disk (and survives a kill) after the next save.
    private static readonly TimeSpan AzuriteSaveInterval = TimeSpan.FromSeconds(6.5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task During_an_outage_calls_fail_as_transport_errors_and_afterwards_the_same_table_works_with_its_data()
    {
        var service = azurite.NewService(maxRetries: 1);
        var table = new AzureEntityTable(service, AzuriteFixture.UniqueTableName());
        var before = new TableRow("p", "before") { ["Value"] = "written before the outage" };
        await table.WriteAsync(new TableAction(TableWrite.Insert, before), Ct);
        await Task.Delay(AzuriteSaveInterval, Ct);
        await azurite.Azurite.StopAsync();

        try
        {
            AssertTransportFailure(await Record.ExceptionAsync(() => table.GetAsync("p", "before", Ct)));
            AssertTransportFailure(await Record.ExceptionAsync(() => table.WriteAsync(new TableAction(TableWrite.Insert, new TableRow("p", "during")), Ct)));
            AssertTransportFailure(await Record.ExceptionAsync(() => table.SubmitAsync([new TableAction(TableWrite.Upsert, new TableRow("p", "during"))], Ct)));
            AssertTransportFailure(await Record.ExceptionAsync(() => table.QueryAsync("p", Ct).ToListAsync(Ct).AsTask()));
        }
        finally
        {
            await azurite.Azurite.StartAsync();
        }

        var kept = await table.GetAsync("p", "before", Ct);
        await table.WriteAsync(new TableAction(TableWrite.Insert, new TableRow("p", "after") { ["Value"] = "written after" }), Ct);

        Assert.Equal("written before the outage", kept?.GetString("Value"));
        Assert.Equal(before.ETag, kept?.ETag);
        Assert.Equal(["after", "before"], await table.QueryAsync("p", Ct).Select(r => r.RowKey).ToListAsync(Ct));
    }

    [Fact]
    public async Task A_table_first_used_during_an_outage_is_created_once_storage_is_back()
    {
        var service = azurite.NewService(maxRetries: 0);
        var table = new AzureEntityTable(service, AzuriteFixture.UniqueTableName());
        await azurite.Azurite.StopAsync();

        try
        {
            AssertTransportFailure(await Record.ExceptionAsync(() => table.GetAsync("p", "r", Ct)));
            AssertTransportFailure(await Record.ExceptionAsync(() => table.WriteAsync(new TableAction(TableWrite.Insert, new TableRow("p", "r")), Ct)));
        }
        finally
        {
            await azurite.Azurite.StartAsync();
        }

        var missing = await table.GetAsync("p", "r", Ct);
        var etag = await table.WriteAsync(new TableAction(TableWrite.Insert, new TableRow("p", "r") { ["Value"] = "created late" }), Ct);

        Assert.Null(missing);
        Assert.NotNull(etag);
        Assert.Equal("created late", (await table.GetAsync("p", "r", Ct))?.GetString("Value"));
    }

    // What callers see as "storage unreachable" (ProfileStartup.IsStorageFailure): the SDK's RequestFailedException
    // without a status, or an HttpRequestException, possibly inside the retry policy's AggregateException.
    private static void AssertTransportFailure(Exception? error)
    {
        Assert.NotNull(error);
        Assert.IsNotType<TableWriteException>(error);
        var innermost = error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [error];
        Assert.All(innermost, e => Assert.True(
            e is RequestFailedException { Status: 0 } or HttpRequestException,
            $"expected a transport failure, got {e.GetType()}: {e.Message}"));
    }
}
