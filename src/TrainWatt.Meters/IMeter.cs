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

/// <summary>
/// A meter whose hardware keeps its own recent samples (NVML's driver sample buffer, <c>nvmlDeviceGetSamples</c>), so
/// a sampler can wake once a second and still store readings every interval: the readings between two of its reads come
/// from that buffer, with the hardware's own time stamps.
/// </summary>
/// <remarks>
/// Why: on a virtual machine a thread wake-up costs 50-120 µs of CPU, so polling 8 GPUs ten times a second costs more
/// than the reads themselves (docs/benchmarks.md, issue 21 "Overhead"). NVIDIA documents the buffer as the way "to get
/// higher frequency data at lower polling cost".
/// </remarks>
public interface IBufferedMeter : IMeter
{
    /// <summary>True when every channel's power can be read from the hardware's buffer (checked when the meter was opened).</summary>
    bool HasSampleBuffer { get; }

    /// <summary>
    /// From now on <see cref="ReadBuffered"/> is used between reads, each reading covering <paramref name="interval"/>;
    /// updates the channels' notes to say so. Call before the channels are taken.
    /// </summary>
    void UseSampleBuffer(TimeSpan interval);

    /// <summary>
    /// Appends to <paramref name="readings"/>, oldest first, one reading per <paramref name="interval"/>-long slot that
    /// holds buffered samples stamped after <paramref name="after"/> and before <paramref name="until"/> (slots counted
    /// from <paramref name="after"/>; a last slot shorter than half an interval joins the one before): each channel's
    /// power is the mean of its samples in the slot, the reading's time the mean of their time stamps, its
    /// <see cref="MeterReading.Elapsed"/> measured from <paramref name="origin"/>. Counters, memory and temperature are left null (the next <see cref="IMeter.Read"/>
    /// has them). Never throws for a failing call: that slot's values are null.
    /// </summary>
    void ReadBuffered(DateTimeOffset origin, DateTimeOffset after, DateTimeOffset until, TimeSpan interval, List<MeterReading> readings);
}

/// <summary>
/// A meter whose energy does not depend on how often it is read: energy counters (RAPL) and models of utilisation over
/// a window of at least a second (the process meter). When the GPUs read from their driver's buffer
/// (<see cref="IBufferedMeter"/>), the sampler reads such a meter only at its once-a-second reads instead of polling
/// every interval for it; its energy is the same, its power values are one-second ones.
/// </summary>
public interface IRateIndependentMeter : IMeter
{
}
