namespace RouterFunctions.Application.Tests;

public sealed class OutcomeTests
{
    [Fact]
    public void A_value_is_a_success_without_an_error()
    {
        Outcome<string> outcome = "routed";

        Assert.True(outcome.Succeeded);
        Assert.Equal("routed", outcome.Value);
        Assert.Null(outcome.Error);
    }

    [Fact]
    public void An_error_is_a_failure_without_a_value()
    {
        var error = UseCaseError.Invalid("query", "is required");
        Outcome<string> outcome = error;

        Assert.False(outcome.Succeeded);
        Assert.Same(error, outcome.Error);
        Assert.Null(outcome.Value);
    }

    [Fact]
    public void The_error_factories_set_their_kind_and_only_Invalid_names_a_field()
    {
        Assert.Equal(new UseCaseError(ErrorKind.Invalid, "The request is invalid.", "is required", "query"), UseCaseError.Invalid("query", "is required"));
        Assert.Equal((ErrorKind.NotFound, "Unknown job.", "No job 'j'.", (string?)null), Parts(UseCaseError.NotFound("Unknown job.", "No job 'j'.")));
        Assert.Equal((ErrorKind.NotReady, "The router has no profile yet.", "retry", (string?)null), Parts(UseCaseError.NotReady("retry")));
        Assert.Equal((ErrorKind.Unavailable, "Off.", "not configured", (string?)null), Parts(UseCaseError.Unavailable("Off.", "not configured")));

        static (ErrorKind, string, string, string?) Parts(UseCaseError e) => (e.Kind, e.Title, e.Detail, e.Field);
    }
}
