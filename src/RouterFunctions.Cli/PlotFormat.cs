namespace RouterFunctions.Cli;

/// <summary>The image formats eval's --plot writes, chosen by the file's extension.</summary>
internal enum PlotFormat
{
    Png,
    Svg,
}

internal static class PlotFormats
{
    /// <summary>The format for <paramref name="path"/>; anything but .png or .svg is the user's mistake, told before any work.</summary>
    public static PlotFormat ForPath(string path)
    {
        var extension = Path.GetExtension(path);
        return extension.ToUpperInvariant() switch
        {
            ".PNG" => PlotFormat.Png,
            ".SVG" => PlotFormat.Svg,
            _ => throw new ArgumentException(
                $"--plot must end in .png or .svg, not {(extension.Length == 0 ? "no extension" : $"'{extension}'")} ({path})."),
        };
    }
}
