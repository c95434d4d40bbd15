namespace TrainWatt.Meters;

/// <summary>
/// The GPUs named by <c>--gpus</c> or <c>CUDA_VISIBLE_DEVICES</c> cannot be resolved (an unknown entry, a MIG instance
/// without its parent, CUDA ordinals on a machine with mixed GPU models). A usage error: the message names the entry and
/// the fix. It is never swallowed by automatic meter selection, since every GPU meter would measure the wrong GPU.
/// </summary>
public sealed class GpuSelectionException(string message) : ArgumentException(message);
