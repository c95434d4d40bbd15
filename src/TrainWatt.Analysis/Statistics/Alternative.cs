namespace TrainWatt.Analysis.Statistics;

/// <summary>The alternative hypothesis of a two-sample or correlation test (scipy's <c>alternative=</c>).</summary>
public enum Alternative
{
    TwoSided,

    /// <summary>The first sample is stochastically greater, or the correlation is positive.</summary>
    Greater,

    /// <summary>The first sample is stochastically smaller, or the correlation is negative.</summary>
    Less,
}
