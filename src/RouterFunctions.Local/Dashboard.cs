namespace RouterFunctions.Local;

/// <summary>GET /dashboard: the embedded static page (inline CSS and JS, no CDN: the machine may have no internet).</summary>
internal static class Dashboard
{
    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream("dashboard.html")
            ?? throw new InvalidOperationException("dashboard.html is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IResult Page() => Results.Content(Html.Value, "text/html; charset=utf-8");
}
