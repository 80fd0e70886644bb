namespace RouterFunctions.Local.Tests;

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<RouterAppFixture>
{
    public const string Name = "app";
}
