namespace TrainWatt.Measurement;

/// <summary>
/// Where a measured run sits in a distributed job: the job id (<c>--job-id</c>, else SLURM_JOB_ID, else
/// TORCHELASTIC_RUN_ID), the node (SLURMD_NODENAME, else the host name) and the rank (RANK, else SLURM_PROCID).
/// </summary>
public sealed record DistributedJob(string? JobId, string Node, string? Rank)
{
    public static DistributedJob From(string? jobIdOption, HostContext context)
        => new(
            string.IsNullOrWhiteSpace(jobIdOption) ? context.Env("SLURM_JOB_ID") ?? context.Env("TORCHELASTIC_RUN_ID") : jobIdOption,
            context.Env("SLURMD_NODENAME") ?? Environment.MachineName,
            context.Env("RANK") ?? context.Env("SLURM_PROCID"));
}
