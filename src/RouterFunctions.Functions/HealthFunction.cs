using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace RouterFunctions.Functions;

public sealed class HealthFunction
{
    [Function("Health")]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        TypedResults.Ok(new { status = "placeholder" });

    [Function("RetrainTimer")]
    public static void Timer([TimerTrigger("0 0 3 * * *")] TimerInfo timer)
    {
    }
}
