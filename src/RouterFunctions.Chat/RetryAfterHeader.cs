using System.ClientModel;
using System.Globalization;

namespace RouterFunctions.Chat;

/// <summary>
/// The wait a backend asked for with its error: <c>retry-after-ms</c> (Azure OpenAI), else <c>Retry-After</c> in
/// seconds or as an HTTP date. Read by the same-model retry (wait that long) and the circuit breaker (call no sooner).
/// </summary>
public static class RetryAfterHeader
{
    /// <summary>The wait <paramref name="error"/>'s response asked for, or null when it names none (or is not an HTTP answer).</summary>
    /// <param name="now">For a date: the wait is the time until it, never negative.</param>
    public static TimeSpan? Of(Exception error, DateTimeOffset now)
    {
        if (error is not ClientResultException result || result.GetRawResponse() is not { } response)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0 && double.IsFinite(millis))
        {
            return TimeSpan.FromMilliseconds(Math.Min(millis, TimeSpan.MaxValue.TotalMilliseconds / 2));
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value) || value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? TimeSpan.FromTicks(Math.Max(0, (at - now).Ticks))
            : null;
    }
}
