using System.Text.Json.Nodes;

namespace RouterFunctions.Chat.Tests;

internal static class AssertJson
{
    /// <summary>Same JSON value: same properties (none missing, none extra), same values; property order aside.</summary>
    public static void Equal(string expected, JsonNode? actual)
    {
        var want = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(want, actual), $"Expected JSON\n{want?.ToJsonString()}\nbut got\n{actual?.ToJsonString()}");
    }
}
