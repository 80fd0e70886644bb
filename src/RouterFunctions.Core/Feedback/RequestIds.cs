namespace RouterFunctions.Core.Feedback;

/// <summary>
/// Request ids are version-7 GUIDs ("N" format): their first 48 bits are the Unix time in milliseconds they were made
/// at, so an id alone tells which day's decisions hold it and whether retention has already dropped it.
/// </summary>
public static class RequestIds
{
    public static string New(DateTimeOffset at) => Guid.CreateVersion7(at).ToString("N");

    /// <summary>When the id was made, or null if it is not a version-7 GUID (a forged or foreign id).</summary>
    public static DateTimeOffset? CreatedAt(string? requestId)
    {
        if (requestId is not { Length: 32 } || !Guid.TryParseExact(requestId, "N", out var guid) || guid.Version != 7)
        {
            return null;
        }

        var millis = Convert.ToInt64(requestId[..12], 16);
        return DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }
}
