using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace RouterFunctions.Functions.Tests;

/// <summary>
/// A request as the ASP.NET Core integration hands it to a function (a real <see cref="HttpContext"/> whose
/// RequestServices is the invocation's scope), and the answer once the function's <see cref="IResult"/> was executed
/// into it.
/// </summary>
public sealed class HttpCall : IDisposable
{
    private readonly IServiceScope _scope;

    public HttpCall(IServiceProvider services, string method, string path, string? json = null)
    {
        _scope = services.CreateScope();
        Context = new DefaultHttpContext { RequestServices = _scope.ServiceProvider };
        Context.Request.Method = method;
        Context.Request.Path = path;
        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            Context.Request.ContentType = "application/json";
            Context.Request.ContentLength = bytes.Length;
            Context.Request.Body = new MemoryStream(bytes);
        }

        Context.Response.Body = new MemoryStream();
    }

    public HttpContext Context { get; }

    public HttpRequest Request => Context.Request;

    public static HttpCall Post(FunctionsApp app, string path, object body) => new(app.Services, "POST", path, JsonSerializer.Serialize(body));

    public static HttpCall Get(FunctionsApp app, string path) => new(app.Services, "GET", path);

    /// <summary>Executes what the function returned into the context, as the worker's integration does, and reads the answer.</summary>
    public async Task<Answer> AnswerAsync(IResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        await result.ExecuteAsync(Context);
        return Answer();
    }

    /// <summary>The response as it stands (for functions that wrote part of it themselves, like a stream).</summary>
    public Answer Answer()
    {
        var response = Context.Response;
        var text = Encoding.UTF8.GetString(((MemoryStream)response.Body).ToArray());
        var headers = response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, response.ContentType, headers, text);
    }

    public void Dispose() => _scope.Dispose();
}

/// <summary>A function's answer: status, content type, headers and body text.</summary>
public sealed record Answer(int Status, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Text)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement;

    public string? MediaType => ContentType?.Split(';')[0].Trim();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Asserts a JSON answer with <paramref name="status"/> and returns its body.</summary>
    public JsonElement AssertJson(int status)
    {
        Assert.True(Status == status, $"expected {status}, got {Status}: {Text}");
        Assert.Equal("application/json", MediaType);
        return Json;
    }

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/> and returns its body.</summary>
    public JsonElement AssertProblem(int status)
    {
        Assert.True(Status == status, $"expected {status}, got {Status}: {Text}");
        Assert.Equal("application/problem+json", MediaType);
        var body = Json;
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        return body;
    }

    /// <summary>Asserts a 400 ValidationProblem whose errors name <paramref name="field"/>.</summary>
    public void AssertInvalid(string field)
    {
        var errors = AssertProblem(400).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors should name '{field}': {Text}");
    }

    /// <summary>The payloads of the SSE "data:" lines, in order ("[DONE]" included).</summary>
    public IReadOnlyList<string> Events =>
        [.. Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e =>
        {
            Assert.StartsWith("data: ", e, StringComparison.Ordinal);
            return e["data: ".Length..];
        })];
}
