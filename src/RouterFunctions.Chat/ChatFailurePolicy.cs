using System.ClientModel;
using System.Net.Sockets;
using Polly.CircuitBreaker;

namespace RouterFunctions.Chat;

/// <summary>
/// Which errors of a model call are the model's fault, so failover tries the next-ranked model (and records a
/// failure), and which are the request's, so they propagate unchanged.
/// <list type="bullet">
/// <item>Failed over: HTTP 408, 429 and 5xx; a timeout (ours, the SDK's or HttpClient's: a cancellation the caller did
/// not ask for); a transport error (connection refused or reset, DNS, TLS, a body cut off: <see cref="HttpRequestException"/>,
/// <see cref="IOException"/>, <see cref="SocketException"/>); the model's open circuit (<see cref="BrokenCircuitException"/>:
/// the model was not called at all).</item>
/// <item>Not failed over: every other 4xx — 400 (bad request: invalid messages or parameters, context too long, content
/// filter), 401/403 (the key or identity of that backend is wrong), 404 (no such deployment or model), 413, 422 —
/// and anything else (a bug is not a reason to call another model). 401/403/404 are configuration faults: they
/// surface loudly rather than being papered over by a silently more expensive model. The caller's own cancellation
/// is never failed over.</item>
/// </list>
/// </summary>
public static class ChatFailurePolicy
{
    /// <summary>True when <paramref name="error"/> should make failover try the next model.</summary>
    public static bool IsRetryable(Exception error, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (callerToken.IsCancellationRequested)
        {
            return false;
        }

        if (error is BrokenCircuitException)
        {
            return true;
        }

        if (StatusOf(error) is { } status)
        {
            return IsRetryableStatus(status);
        }

        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or OperationCanceledException or HttpRequestException or IOException or SocketException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>408, 429 and 5xx.</summary>
    public static bool IsRetryableStatus(int status) => status is 408 or 429 or (>= 500 and <= 599);

    /// <summary>The HTTP status the backend answered with, or null when it answered none (timeout, transport error).</summary>
    public static int? StatusOf(Exception error) => error switch
    {
        ClientResultException { Status: > 0 } result => result.Status,
        HttpRequestException { StatusCode: { } code } => (int)code,
        _ => null,
    };

    /// <summary>A short reason for logs and feedback: "http 503", "timeout", "transport", "circuit open", or the exception's type.</summary>
    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is BrokenCircuitException)
        {
            return "circuit open";
        }

        if (StatusOf(error) is { } status)
        {
            return $"http {status}";
        }

        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or OperationCanceledException)
            {
                return "timeout";
            }

            if (e is HttpRequestException or IOException or SocketException)
            {
                return "transport";
            }
        }

        return error.GetType().Name;
    }
}
