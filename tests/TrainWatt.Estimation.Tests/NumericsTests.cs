using TrainWatt.Estimation.Numerics;

namespace TrainWatt.Estimation.Tests;

/// <summary>Splits and the conformal quantile, against hand derivations.</summary>
public sealed class NumericsTests
{
    [Fact]
    public void KFold_Partitions_All_Rows_And_Is_Seeded()
    {
        // Hand: 11 rows in 5 folds -> test sizes 3,2,2,2,2; every row tested exactly once; train = the complement.
        var folds = Folds.KFold(11, 5, 7);
        Assert.Equal([3, 2, 2, 2, 2], folds.Select(f => f.Test.Length));
        Assert.Equal(Enumerable.Range(0, 11), folds.SelectMany(f => f.Test).Order());
        Assert.All(folds, f => Assert.Empty(f.Train.Intersect(f.Test)));
        Assert.All(folds, f => Assert.Equal(11, f.Train.Length + f.Test.Length));
        Assert.Equal(folds.Select(f => f.Test), Folds.KFold(11, 5, 7).Select(f => f.Test));
        Assert.NotEqual(folds.Select(f => f.Test), Folds.KFold(11, 5, 8).Select(f => f.Test));
    }

    [Fact]
    public void HoldOut_Takes_The_Ceiling_Of_30_Percent_For_Test()
    {
        // Hand: ceil(0.3 x 857) = 258 (scikit-learn's train_test_split rounds the test share up the same way: 368 of 1225).
        var (train, test) = Folds.HoldOut(857, 0.30, 2022);
        Assert.Equal(258, test.Length);
        Assert.Equal(599, train.Length);
        Assert.Equal(857, train.Union(test).Count());
    }

    [Fact]
    public void Leave_One_Group_Out_Holds_Out_Each_Group_Once()
    {
        var groups = Folds.LeaveOneGroupOut(["b", "a", "b", "c", "a"]);
        Assert.Equal(["a", "b", "c"], groups.Select(g => g.Group));
        Assert.Equal([1, 4], groups[0].Test);
        Assert.Equal([0, 2, 3], groups[0].Train);
    }

    [Fact]
    public void Conformal_Quantile_Is_The_Ceiling_Rank_Of_Log_Ratios()
    {
        // Hand: ratios e^0.1, e^-0.2, ..., |ln| = 0.1..1.0 (10 scores); rank ceil(11 x 0.9) = 10 -> 1.0; at 0.5: ceil(5.5) = 6 -> 0.6.
        var predicted = Enumerable.Repeat(100.0, 10).ToArray();
        var actual = Enumerable.Range(1, 10).Select(k => 100.0 * Math.Exp((k % 2 == 0 ? -1 : 1) * k / 10.0)).ToArray();
        Assert.Equal(1.0, PreTrainer.ConformalLogQuantile(actual, predicted, 0.9), 12);
        Assert.Equal(0.6, PreTrainer.ConformalLogQuantile(actual, predicted, 0.5), 12);
    }

    [Fact]
    public void Ridge_With_Huge_Alpha_Predicts_The_Mean()
    {
        // Hand: as alpha -> infinity the weights vanish and the intercept is the target mean (3).
        double[][] x = [[1, 2], [2, 1], [3, 5], [4, 0]];
        var fit = LinearSolvers.Ridge(x, [1.0, 2, 4, 5], 1e12);
        Assert.Equal(3.0, fit.Intercept, 9);
        Assert.All(fit.Weights, w => Assert.Equal(0.0, w, 9));
    }
}
