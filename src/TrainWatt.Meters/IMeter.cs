using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Meters;

/// <summary>
/// A source of power/energy readings for one technology (NVML, nvidia-smi, RAPL, procfs models, a fake).
/// A meter exposes one or more channels (a GPU, a RAPL package, the modelled RAM) and reads all of them at once.
/// </summary>
/// <remarks>
/// Thread-safety: a meter is read by one sampler thread; <see cref="Read"/> is not required to be re-entrant.
/// Failure: a channel that cannot be read this time yields a reading with null values and a <see cref="ChannelReading.Error"/>;
/// <see cref="Read"/> throws only for bugs or when the whole meter is gone (driver unloaded).
/// </remarks>
public interface IMeter : IDisposable
{
    /// <summary>Short technology name shown in reports and by <c>doctor</c>: "nvml", "nvidia-smi", "rapl", "process", "fake".</summary>
    string Name { get; }

    /// <summary>The channels this meter reads, fixed for its lifetime.</summary>
    IReadOnlyList<MeterChannel> Channels { get; }

    /// <summary>Reads every channel now. Cumulative energies are monotonic per channel (wrap-around already handled).</summary>
    MeterReading Read();
}

/// <summary>
/// A meter that finds faults in what its source reports while it runs (the live nvidia-smi meter: two GPUs under one
/// index, lines of several GPUs without an index). The sampler takes them after each <see cref="IMeter.Read"/> and keeps
/// them with the run's notes, so a fault is reported, never only visible as odd numbers.
/// </summary>
public interface IMeterFaults
{
    /// <summary>The faults found since the last call (each reported once), oldest first; empty when none.</summary>
    IReadOnlyList<string> TakeFaults();
}

/// <summary>One measured thing.</summary>
/// <param name="Id">Stable id within a run: "gpu:0", "cpu:package-0", "dram:package-0", "ram", "cpu:process".</param>
/// <param name="Component">"gpu", "cpu", "dram", "ram" or "psys".</param>
/// <param name="DeviceName">Human name ("NVIDIA H100 80GB HBM3", "package-0").</param>
/// <param name="Provenance">How this channel's energy is obtained: Counter (energy counter), Sampled (power samples) or Model.</param>
/// <param name="Uuid">Device UUID when the hardware has one (GPU), used to de-duplicate devices shared by several processes.</param>
/// <param name="Note">Why this provenance (e.g. "NVML total energy counter not supported on this device; sampling power").</param>
public sealed record MeterChannel(string Id, string Component, string DeviceName, Provenance Provenance, string? Uuid = null, string? Note = null);

/// <summary>One channel's values at one instant. Null means "not available this time", never zero.</summary>
/// <param name="ChannelId">Matches <see cref="MeterChannel.Id"/>.</param>
/// <param name="Power">Instantaneous (or short-window average) power.</param>
/// <param name="CumulativeEnergy">Energy since the meter was opened, from a hardware counter (Counter channels) — null for sampled/model channels.</param>
/// <param name="UtilizationPercent">Device utilisation 0-100, when known.</param>
/// <param name="MemoryUsedMiB">Device memory (GPU) or RSS (process) in MiB, when known.</param>
/// <param name="TemperatureCelsius">Temperature when known.</param>
/// <param name="Error">Why values are missing this time, if they are.</param>
/// <param name="SmClockMHz">GPU streaming-multiprocessor clock in MHz, when known (NVML).</param>
public readonly record struct ChannelReading(
    string ChannelId,
    Power? Power,
    Energy? CumulativeEnergy,
    double? UtilizationPercent = null,
    double? MemoryUsedMiB = null,
    double? TemperatureCelsius = null,
    string? Error = null,
    double? SmClockMHz = null);

/// <summary>A reading of all channels of a meter.</summary>
/// <param name="Timestamp">Wall-clock time from the injected <see cref="TimeProvider"/>.</param>
/// <param name="Elapsed">Monotonic time since the sampler started (from <see cref="TimeProvider.GetTimestamp"/>); integrate on this.</param>
/// <param name="Channels">One entry per channel, in <see cref="IMeter.Channels"/> order.</param>
public sealed record MeterReading(DateTimeOffset Timestamp, TimeSpan Elapsed, IReadOnlyList<ChannelReading> Channels);

/// <summary>What <c>trainwatt doctor</c> prints for one meter technology.</summary>
/// <param name="Meter">Technology name.</param>
/// <param name="Available">True when the meter can be opened and read.</param>
/// <param name="Found">What was found (devices, domains, versions).</param>
/// <param name="Reason">When unavailable: why (driver missing, permission denied...).</param>
/// <param name="Fix">When unavailable: the exact fix (command, container flag).</param>
public sealed record MeterProbe(string Meter, bool Available, IReadOnlyList<string> Found, string? Reason = null, string? Fix = null)
{
    /// <summary>When available: what the user should know before measuring (a GPU skipped, MIG sharing), one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
