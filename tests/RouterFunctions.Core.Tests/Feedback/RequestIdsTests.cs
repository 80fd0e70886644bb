using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Core.Tests.Feedback;

public sealed class RequestIdsTests
{
    [Fact]
    public void An_id_tells_when_it_was_made_to_the_millisecond()
    {
        var at = new DateTimeOffset(2026, 12, 3, 10, 30, 15, 123, TimeSpan.Zero);
        Assert.Equal(at, RequestIds.CreatedAt(RequestIds.New(at)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-id")]
    [InlineData("0123456789abcdef0123456789abcdef")] // a GUID, but not version 7
    public void An_id_that_is_not_a_version_7_guid_has_no_time(string? id) => Assert.Null(RequestIds.CreatedAt(id));

    [Fact]
    public void A_random_guid_has_no_time() => Assert.Null(RequestIds.CreatedAt(Guid.NewGuid().ToString("N")));
}
