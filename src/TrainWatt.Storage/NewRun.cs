namespace TrainWatt.Storage;

/// <summary>What a new run is created with.</summary>
/// <param name="Source">Where the run came from: "measure", "import:nvidia-smi", "import:seaa2023".</param>
/// <param name="Started">Start of the run.</param>
/// <param name="SourceKey">Stable key of the imported input (e.g. "seaa2023:cloud/vgg16/20221205T095541"); unique in a store, null for live runs.</param>
/// <param name="Command">The wrapped command line, when there is one.</param>
/// <param name="Tags">User tags (k=v).</param>
/// <param name="JobId">Distributed job id (SLURM_JOB_ID, TORCHELASTIC_RUN_ID, --job-id).</param>
/// <param name="Metadata">Free-form JSON object text (model, environment, the source table's row...).</param>
/// <param name="Status">Initial status; imports that write everything at once create the run as completed/incomplete directly.</param>
public sealed record NewRun(
    string Source,
    DateTimeOffset Started,
    string? SourceKey = null,
    string? Command = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    string? JobId = null,
    string? Metadata = null,
    RunStatus Status = RunStatus.Running);
