namespace RouterFunctions.Benchmarks;

/// <summary>Short queries of the kind a router sees (10–20 tokens).</summary>
internal static class Queries
{
    private static readonly string[] Templates =
    [
        "Write a Python function that returns the n-th Fibonacci number.",
        "Which gas do plants absorb from the air during photosynthesis?",
        "The trophy doesn't fit into the suitcase because it is too large.",
        "Summarise the main causes of the French Revolution in two sentences.",
        "How do I reset my password if I no longer have access to my email?",
        "Translate 'good morning, how are you?' into Spanish.",
        "What is the derivative of x squared times the sine of x?",
        "Explain the difference between TCP and UDP for a beginner.",
    ];

    public static readonly string[] Short = [.. Enumerable.Range(0, 64).Select(i => Templates[i % Templates.Length] + $" (case {i})")];
}
