namespace TrainWatt.Storage;

/// <summary>The <c>runs.source</c> values of live runs (imports write "import:..." values).</summary>
public static class RunSources
{
    /// <summary>A run measured to its end by <c>trainwatt measure</c>, <c>experiment run</c> or a .NET caller.</summary>
    public const string Measure = "measure";

    /// <summary>
    /// A probe: the start of a run measured by <c>trainwatt estimate --probe</c> and then stopped on purpose. It is kept
    /// (its samples and epochs are real) but it is not a finished training: PRE fitting and analysis leave it out.
    /// </summary>
    public const string Probe = "probe";

    /// <summary>The metadata key holding a probe's planned length in seconds.</summary>
    public const string ProbeSecondsKey = "probe_s";

    /// <summary>True for a probe run.</summary>
    public static bool IsProbe(RunRecord run) => run is not null && run.Source == Probe;
}
