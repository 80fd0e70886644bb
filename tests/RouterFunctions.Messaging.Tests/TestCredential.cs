using Azure.Core;

namespace RouterFunctions.Messaging.Tests;

/// <summary>A credential that is never asked for a token: the clients under test connect lazily and these tests never send.</summary>
internal sealed class TestCredential : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No token in tests.");

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No token in tests.");
}
