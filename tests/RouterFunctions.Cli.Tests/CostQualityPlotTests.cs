namespace RouterFunctions.Cli.Tests;

public sealed class CostQualityPlotTests : IDisposable
{
    private static readonly byte[] PngMagic = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _folder = Directory.CreateTempSubdirectory("routerfn-plot-").FullName;

    [Fact]
    public void A_png_path_gets_a_real_png_image()
    {
        var path = Path.Combine(_folder, "plot.png");

        CostQualityPlot.Write(Evaluations.TwoModels(0.0015), "title", path, PlotFormats.ForPath(path));

        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{bytes.Length} bytes");
        Assert.Equal(PngMagic, bytes[..8]);
    }

    [Fact]
    public void An_svg_path_gets_svg_markup_naming_the_models()
    {
        var path = Path.Combine(_folder, "plot.svg");

        CostQualityPlot.Write(Evaluations.TwoModels(0.0015), "title", path, PlotFormats.ForPath(path));

        var text = File.ReadAllText(path).TrimStart();
        Assert.True(text.StartsWith("<svg", StringComparison.Ordinal) || text.StartsWith("<?xml", StringComparison.Ordinal), text[..Math.Min(80, text.Length)]);
        Assert.Contains("</svg>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plot_into_a_missing_folder_creates_the_folder()
    {
        var path = Path.Combine(_folder, "not", "there", "plot.png");

        CostQualityPlot.Write(Evaluations.TwoModels(0.0015), "title", path, PlotFormats.ForPath(path));

        Assert.Equal(PngMagic, File.ReadAllBytes(path)[..8]);
    }

    [Theory]
    [InlineData("plot.PNG", "Png")]
    [InlineData("plot.Svg", "Svg")]
    public void The_format_follows_the_extension_in_any_case(string file, string expected) =>
        Assert.Equal(Enum.Parse<PlotFormat>(expected), PlotFormats.ForPath(Path.Combine(_folder, file)));

    [Theory]
    [InlineData("plot.jpg", "'.jpg'")]
    [InlineData("plot", "no extension")]
    public void Other_extensions_are_refused_naming_what_was_given(string file, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => PlotFormats.ForPath(Path.Combine(_folder, file)));

        Assert.Contains(".png or .svg", e.Message, StringComparison.Ordinal);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
