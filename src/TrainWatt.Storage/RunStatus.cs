namespace TrainWatt.Storage;

/// <summary>Lifecycle of a stored run.</summary>
public enum RunStatus
{
    /// <summary>Being measured or imported now. Read back as <see cref="Incomplete"/> once its owner process is gone.</summary>
    Running,

    /// <summary>Finished normally; the wrapped command's exit code is recorded.</summary>
    Completed,

    /// <summary>The recording stopped before the run finished (TrainWatt was killed, an import was interrupted, a trace lost its tail).</summary>
    Incomplete,

    /// <summary>The measurement itself failed (no meter could be read).</summary>
    Failed,
}
