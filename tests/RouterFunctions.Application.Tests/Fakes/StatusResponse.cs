using System.ClientModel.Primitives;
using System.Diagnostics.CodeAnalysis;

namespace RouterFunctions.Application.Tests.Fakes;

/// <summary>A bodiless HTTP response of a given status: what a <see cref="System.ClientModel.ClientResultException"/> carries from a provider.</summary>
internal sealed class StatusResponse(int status) : PipelineResponse
{
    public override int Status { get; } = status;

    public override string ReasonPhrase => "test";

    public override Stream? ContentStream { get; set; }

    public override BinaryData Content => BinaryData.Empty;

    protected override PipelineResponseHeaders HeadersCore { get; } = new NoHeaders();

    public override BinaryData BufferContent(CancellationToken cancellationToken = default) => BinaryData.Empty;

    public override ValueTask<BinaryData> BufferContentAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(BinaryData.Empty);

    public override void Dispose()
    {
    }

    private sealed class NoHeaders : PipelineResponseHeaders
    {
        public override bool TryGetValue(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        public override bool TryGetValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }

        public override IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Enumerable.Empty<KeyValuePair<string, string>>().GetEnumerator();
    }
}
