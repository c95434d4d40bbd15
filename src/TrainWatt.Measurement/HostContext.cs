namespace TrainWatt.Measurement;

/// <summary>
/// What the application layer takes from the outside world: the clock and the environment variables. The CLI builds it
/// from the process; tests and .NET callers pass a fake <see cref="TimeProvider"/> and their own variables.
/// </summary>
/// <param name="Time">The clock every timer, sample time stamp and store time comes from.</param>
/// <param name="Environment">Environment variables (SLURM_JOB_ID, CUDA_VISIBLE_DEVICES, TRAINWATT_DB, XDG_DATA_HOME, ...).</param>
public sealed record HostContext(TimeProvider Time, IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>The running process's clock and environment.</summary>
    public static HostContext FromProcess()
    {
        var env = System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        return new HostContext(TimeProvider.System, env);
    }

    /// <summary>A variable's value; null when unset or empty.</summary>
    public string? Env(string name) => Environment.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;
}
