using System.Globalization;

namespace RouterFunctions.Chat;

/// <summary>Durations as reasons and logs show them: "250ms", "30s", "1.5s", "5m", "2h".</summary>
internal static class ShortDuration
{
    public static string Of(TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value.TotalMilliseconds)}ms");
        }

        if (value < TimeSpan.FromMinutes(2) || value.Seconds != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value.TotalSeconds, 1)}s");
        }

        return value < TimeSpan.FromHours(2) || value.Minutes != 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value.TotalMinutes, 1)}m")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value.TotalHours, 1)}h");
    }
}
