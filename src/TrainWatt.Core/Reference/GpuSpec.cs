using TrainWatt.Core.Units;

namespace TrainWatt.Core.Reference;

/// <summary>
/// One row of <c>data/gpus.csv</c>: the published specification of a GPU model.
/// </summary>
/// <param name="Name">Canonical short name, e.g. <c>RTX 3090</c>, <c>A100 SXM4 80GB</c>.</param>
/// <param name="Aliases">Other spellings, including the name nvidia-smi reports (e.g. <c>NVIDIA GeForce RTX 3090</c>).</param>
/// <param name="Segment"><c>datacenter</c>, <c>geforce</c> or <c>workstation</c>.</param>
/// <param name="Architecture">NVIDIA architecture, e.g. <c>Ampere</c>.</param>
/// <param name="CudaCores">Number of CUDA (FP32) cores.</param>
/// <param name="MemoryGigabytes">Device memory in GB.</param>
/// <param name="MemoryType">e.g. <c>GDDR6X</c>, <c>HBM3</c>.</param>
/// <param name="BandwidthGigabytesPerSecond">Peak memory bandwidth in GB/s.</param>
/// <param name="BaseClockMegahertz">Base clock in MHz; null where NVIDIA publishes none.</param>
/// <param name="BoostClockMegahertz">Boost clock in MHz.</param>
/// <param name="ThermalDesignPower">The specification TDP (board power), not nvidia-smi's power.max_limit.</param>
/// <param name="Fp32Teraflops">Peak dense FP32 TFLOPS (non-tensor).</param>
/// <param name="Fp16Teraflops">Peak dense (non-sparse) FP16 TFLOPS of the kind given by <paramref name="Fp16Kind"/>; null when unknown.</param>
/// <param name="Fp16Kind"><c>tensor</c> (tensor cores; FP16 accumulate on GeForce), <c>vector</c> (CUDA cores) or empty.</param>
/// <param name="Year">Launch year.</param>
/// <param name="Source">Where the values come from (datasheet or whitepaper).</param>
public sealed record GpuSpec(
    string Name,
    IReadOnlyList<string> Aliases,
    string Segment,
    string Architecture,
    int CudaCores,
    double MemoryGigabytes,
    string MemoryType,
    double BandwidthGigabytesPerSecond,
    int? BaseClockMegahertz,
    int BoostClockMegahertz,
    Power ThermalDesignPower,
    double Fp32Teraflops,
    double? Fp16Teraflops,
    string Fp16Kind,
    int Year,
    string Source);
