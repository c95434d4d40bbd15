using CsCheck;
using TrainWatt.Analysis.Statistics;

namespace TrainWatt.Analysis.Tests.Statistics;

/// <summary>Invariants that follow from the definitions (oracle: the definitions themselves, derived by hand).</summary>
public sealed class StatisticsPropertyTests
{
    private static readonly Gen<double[]> Sample = Gen.Int[-20, 20].Select(i => i / 4.0).Array[2, 15];

    [Fact]
    public void Cliffs_delta_is_antisymmetric_and_bounded()
    {
        // delta(x, y) = -delta(y, x) because #(x > y) and #(x < y) swap; |delta| <= 1.
        Gen.Select(Sample, Sample).Sample((x, y) =>
        {
            double d = CliffsDelta.Compute(x, y).Delta;
            Assert.Equal(-d, CliffsDelta.Compute(y, x).Delta, 12);
            Assert.InRange(d, -1.0, 1.0);
        });
    }

    [Fact]
    public void Kruskal_wallis_ignores_group_order_and_a_monotone_transform()
    {
        // H depends on the ranks only: reordering groups or applying exp() to every value leaves it unchanged.
        Gen.Select(Sample, Sample, Sample).Where((a, b, c) => a.Concat(b).Concat(c).Distinct().Count() > 1).Sample((a, b, c) =>
        {
            double h = KruskalWallis.Test([a, b, c]).H;
            Assert.Equal(h, KruskalWallis.Test([c, a, b]).H, 9);
            Assert.Equal(h, KruskalWallis.Test([a.Select(Math.Exp).ToArray(), b.Select(Math.Exp).ToArray(), c.Select(Math.Exp).ToArray()]).H, 9);
            Assert.True(h >= -1e-12);
        });
    }

    [Fact]
    public void Holm_adjusted_p_values_are_monotone_capped_and_not_below_the_raw_ones()
    {
        Gen.Double[0, 1].Array[1, 20].Sample(p =>
        {
            var adjusted = Holm.Adjust(p);
            var order = Enumerable.Range(0, p.Length).OrderBy(i => p[i]).ThenBy(i => i).ToArray();
            for (int k = 0; k < order.Length; k++)
            {
                Assert.True(adjusted[order[k]] >= p[order[k]] - 1e-15 && adjusted[order[k]] <= 1.0);
                if (k > 0)
                {
                    Assert.True(adjusted[order[k]] >= adjusted[order[k - 1]]);
                }
            }
        });
    }

    [Fact]
    public void Mann_whitney_u_of_both_samples_add_up_to_n1_n2()
    {
        // U1 + U2 = n1 n2 (every pair counted once, ties half each way).
        Gen.Select(Sample, Sample).Sample((x, y) =>
        {
            double u1 = MannWhitney.Test(x, y, method: MannWhitneyMethod.Asymptotic).U;
            double u2 = MannWhitney.Test(y, x, method: MannWhitneyMethod.Asymptotic).U;
            Assert.Equal(x.Length * y.Length, u1 + u2, 9);
        });
    }
}
