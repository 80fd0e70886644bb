using System.Diagnostics.CodeAnalysis;

namespace RouterFunctions.Application;

/// <summary>A use case's result: the value, or the <see cref="UseCaseError"/> that is the expected reason there is none.</summary>
[SuppressMessage("Usage", "CA2225", Justification = "The implicit conversions are the point: return a value or an error.")]
public readonly record struct Outcome<T>
{
    private Outcome(T? value, UseCaseError? error) => (Value, Error) = (value, error);

    public T? Value { get; }

    public UseCaseError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(UseCaseError error) => new(default, error);
}
