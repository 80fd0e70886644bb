namespace RouterFunctions.Core.Routing;

/// <summary>
/// Log scale between the cheapest and the dearest model's typical cost. Model prices span orders of magnitude,
/// so a linear scale would make every model but the dearest look free.
/// </summary>
public readonly record struct CostScale(double Min, double Max)
{
    public static CostScale From(IEnumerable<double> costs)
    {
        var positive = costs.Where(c => c > 0).ToList();
        return positive.Count == 0 ? new CostScale(1, 1) : new CostScale(positive.Min(), positive.Max());
    }

    public double Normalize(double cost)
    {
        if (Max <= Min || cost <= Min)
        {
            return 0;
        }

        return Math.Min(1, Math.Log(cost / Min) / Math.Log(Max / Min));
    }
}
