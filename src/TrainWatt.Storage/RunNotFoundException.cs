namespace TrainWatt.Storage;

/// <summary>
/// A run (by id, job id or UUID) is not in the store. The message names the store and how to find the runs it has;
/// the CLI prints it as is (exit code 66, no input).
/// </summary>
public sealed class RunNotFoundException : Exception
{
    public RunNotFoundException(string location, string message, long? runId = null)
        : base(message)
    {
        Location = location;
        RunId = runId;
    }

    /// <summary>The run id asked for, when the run was asked for by id.</summary>
    public long? RunId { get; }

    /// <summary>The store's file path or masked connection string.</summary>
    public string Location { get; }

    /// <summary>"there is no run 42 in the store X. List the runs with `trainwatt runs list`."</summary>
    public static RunNotFoundException ForId(IRunStore store, long runId)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new RunNotFoundException(store.Location, $"there is no run {runId} in the store {store.Location}. List the runs with `trainwatt runs list`.", runId);
    }
}
