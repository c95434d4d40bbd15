using TrainWatt.Core;

namespace TrainWatt.Storage;

/// <summary>A measured thing within a run (a GPU, a CPU package, a process).</summary>
/// <param name="Key">Stable key within the run: "gpu:0", "cpu:package-0", "process".</param>
/// <param name="Component">"gpu", "cpu", "dram", "ram", "psys" or "process".</param>
/// <param name="Name">Human name ("NVIDIA GeForce RTX 3090").</param>
/// <param name="Provenance">How this device's energy is obtained.</param>
/// <param name="Uuid">Hardware UUID when known (GPU), to de-duplicate devices shared by several processes.</param>
/// <param name="Note">Why this provenance, or where the data came from.</param>
public sealed record DeviceRegistration(string Key, string Component, string? Name, Provenance Provenance, string? Uuid = null, string? Note = null);
