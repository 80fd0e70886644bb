using RouterFunctions.Core.Data;

namespace RouterFunctions.Application.Tests;

public sealed class DatasetFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-hosting-data-").FullName;

    [Fact]
    public void Read_parses_every_line_and_skips_blank_ones()
    {
        var path = Write(
            """{"id":"a","question":"first?","task":"math","split":"train","results":{"m1":{"score":1,"cost":0.5}}}""",
            "",
            "   ",
            """{"id":"b","query":"second?","split":"test","results":{"m1":{"score":0,"cost":0.25}}}""",
            "\t");

        var rows = DatasetFile.Read(path, new DatasetReader());

        Assert.Equal(["a", "b"], rows.Select(r => r.Id));
        Assert.Equal(["first?", "second?"], rows.Select(r => r.Text));
        Assert.Equal(["math", null], rows.Select(r => r.Task));
        Assert.Equal(["train", "test"], rows.Select(r => r.Split));
        Assert.Equal(new ModelOutcome(0, 0.25), rows[1].Results["m1"]);
    }

    [Fact]
    public void Read_uses_the_readers_text_field()
    {
        var path = Write("""{"id":"a","question":"the question","prompt":"the prompt","results":{}}""");

        var row = Assert.Single(DatasetFile.Read(path, new DatasetReader(textField: "prompt")));

        Assert.Equal("the prompt", row.Text);
    }

    [Fact]
    public void Read_reports_the_number_of_a_bad_line_counting_blank_lines()
    {
        var path = Write(
            """{"id":"a","question":"fine","results":{}}""",
            "",
            """{"id":"b","question": """,
            """{"id":"c","question":"fine","results":{}}""");

        var error = Assert.Throws<FormatException>(() => DatasetFile.Read(path, new DatasetReader()));

        Assert.StartsWith("line 3:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_reports_the_number_of_a_line_without_text()
    {
        var path = Write("""{"id":"a","question":"fine","results":{}}""", """{"id":"b","results":{}}""");

        var error = Assert.Throws<FormatException>(() => DatasetFile.Read(path, new DatasetReader()));

        Assert.StartsWith("line 2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_of_a_missing_file_throws_FileNotFoundException_naming_the_path()
    {
        var path = Path.Combine(_directory, "nowhere", "queries.jsonl");

        var error = Assert.Throws<FileNotFoundException>(() => DatasetFile.Read(path, new DatasetReader()));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_of_an_empty_file_returns_no_rows()
    {
        var path = Write();

        Assert.Empty(DatasetFile.Read(path, new DatasetReader()));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_directory, $"queries-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }
}
