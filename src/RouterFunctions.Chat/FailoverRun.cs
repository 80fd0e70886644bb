using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat;

/// <summary>
/// One request's failover state: the ranked candidates that have a backend (unconfigured ones are skipped and cost no
/// attempt), how many of them may be tried, and the failures so far. The Polly pipeline finds it in the
/// <c>ResilienceContext</c>: attempt n calls <see cref="Candidates"/>[n].
/// </summary>
internal sealed class FailoverRun
{
    private readonly List<ModelFailure> _failures = [];

    /// <param name="escalated">Why the candidates are called past their open circuits (<see cref="ChatRoute.Escalated"/>), or null.</param>
    public FailoverRun(IReadOnlyDictionary<string, IChatClient> backends, IEnumerable<string> rankedModels, int maxAttempts, string? requestId, string? escalated = null)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(rankedModels);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var ranked = rankedModels.Distinct(StringComparer.Ordinal).ToList();
        Skipped = [.. ranked.Where(m => !backends.ContainsKey(m))];
        Candidates = [.. ranked.Where(backends.ContainsKey)];
        MaxAttempts = maxAttempts;
        RequestId = requestId;
        Escalated = escalated;
    }

    public string? RequestId { get; }

    public string? Escalated { get; }

    public IReadOnlyList<string> Candidates { get; }

    public IReadOnlyList<string> Skipped { get; }

    public int MaxAttempts { get; }

    /// <summary>How many candidates this run may call: the attempts, or fewer when fewer are configured.</summary>
    public int Limit => Math.Min(MaxAttempts, Candidates.Count);

    public IReadOnlyList<ModelFailure> Failures => _failures;

    /// <summary>The model of the attempt under way (0-based: the pipeline's attempt number).</summary>
    public int Attempt { get; set; }

    public string Current => Candidates[Attempt];

    /// <summary>Whether another candidate may be tried after the current one failed.</summary>
    public bool HasNext => Attempt + 1 < Limit;

    public void Add(ModelFailure failure) => _failures.Add(failure);

    public ChatFailoverException NoAnswer()
    {
        if (_failures.Count == 0)
        {
            return new ChatFailoverException(
                $"None of the ranked models has a configured backend: {string.Join(", ", Skipped)}.", _failures, RequestId);
        }

        var untried = Candidates.Count - _failures.Count;
        return new ChatFailoverException(
            $"No model answered after {_failures.Count} attempt(s) ({string.Join("; ", _failures.Select(f => $"{f.Model}: {f.Reason}"))})"
            + (untried > 0 ? $"; {untried} more candidate(s) not tried (at most {MaxAttempts} attempts)." : ".")
            + (RequestId is null ? "" : $" Request {RequestId}."),
            _failures,
            RequestId);
    }
}
