using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RouterFunctions.Application.Retraining;
using RouterFunctions.Application.Status;
using RouterFunctions.Http.Endpoints;

namespace RouterFunctions.Functions;

/// <summary>POST /api/retrain (now, in this app), GET /api/retrains, and the nightly request to the consumers.</summary>
public sealed class RetrainFunctions(RetrainRunner retrain, RetrainRequests requests, StatusViews views)
{
    /// <summary>When the nightly retrain is asked for: 03:00 UTC (NCRONTAB with seconds).</summary>
    public const string Schedule = "0 0 3 * * *";

    [Function("RetrainNow")]
    public Task<IResult> RunNowAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "retrain")] HttpRequest request, CancellationToken cancellationToken) =>
        StatusApi.RetrainAsync(retrain, cancellationToken);

    [Function("Retrains")]
    public Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "retrains")] HttpRequest request, CancellationToken cancellationToken) =>
        StatusApi.RetrainsAsync(views, cancellationToken);

    /// <summary>Nightly: one message on the retrain queue; the workers app retrains (the HTTP app stays light).</summary>
    [Function("RetrainTimer")]
    public Task ScheduleAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        requests.ScheduleAsync(cancellationToken);
}
