using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace RouterFunctions.Functions.Tests;

/// <summary>
/// A <see cref="FunctionContext"/> of one invocation of a named function. With an <see cref="HttpContext"/> it holds
/// it where the ASP.NET Core integration does (Items["HttpRequestContext"], what <c>GetHttpContext()</c> reads); without
/// one it is a non-HTTP invocation, like the timer's.
/// </summary>
public sealed class TestFunctionContext : FunctionContext
{
    public TestFunctionContext(string function, HttpContext? http, IServiceProvider services)
    {
        FunctionDefinition = new Definition(function);
        InstanceServices = services;
        if (http is not null)
        {
            Items["HttpRequestContext"] = http;
        }
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString("N");

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext => throw new NotSupportedException();

    public override BindingContext BindingContext => throw new NotSupportedException();

    public override RetryContext RetryContext => throw new NotSupportedException();

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException();

    private sealed class Definition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(HttpGuards).Assembly.Location;

        public override string EntryPoint => "RouterFunctions.Functions." + name;

        public override string Id => name + "-id";

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
