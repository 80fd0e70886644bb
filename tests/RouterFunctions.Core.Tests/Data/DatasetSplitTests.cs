using System.Globalization;
using RouterFunctions.Core.Data;

namespace RouterFunctions.Core.Tests.Data;

public class DatasetSplitTests
{
    private static IEnumerable<string> Ids(int count) =>
        Enumerable.Range(0, count).Select(i => "query-" + i.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public void ForId_gives_the_same_split_every_time()
    {
        foreach (var id in Ids(200))
        {
            Assert.Equal(DatasetSplit.ForId(id, 0.3), DatasetSplit.ForId(new string(id.ToCharArray()), 0.3));
        }
    }

    [Fact]
    public void ForId_roughly_respects_the_ratio_over_many_ids()
    {
        // Binomial(10 000, 0.3): standard deviation ≈ 0.0046, so ±0.02 is over four deviations.
        var share = Ids(10_000).Count(id => DatasetSplit.ForId(id, 0.3) == DatasetSplit.Test) / 10_000.0;

        Assert.InRange(share, 0.28, 0.32);
    }

    [Fact]
    public void ForId_with_ratio_zero_puts_everything_in_train_and_one_everything_in_test()
    {
        Assert.All(Ids(1000), id => Assert.Equal(DatasetSplit.Train, DatasetSplit.ForId(id, 0)));
        Assert.All(Ids(1000), id => Assert.Equal(DatasetSplit.Test, DatasetSplit.ForId(id, 1)));
    }

    [Fact]
    public void ForId_test_sets_grow_with_the_ratio()
    {
        // A larger ratio only moves ids from train to test.
        foreach (var id in Ids(2000).Where(id => DatasetSplit.ForId(id, 0.2) == DatasetSplit.Test))
        {
            Assert.Equal(DatasetSplit.Test, DatasetSplit.ForId(id, 0.5));
        }
    }

    [Fact]
    public void ForId_depends_on_the_id()
    {
        var splits = Ids(100).Select(id => DatasetSplit.ForId(id, 0.5)).ToHashSet();

        Assert.Equal(2, splits.Count);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    public void ForId_rejects_a_ratio_outside_zero_to_one(double ratio)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.ForId("x", ratio));
    }
}
