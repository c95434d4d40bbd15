using TrainWatt.Core;

namespace TrainWatt.Storage;

/// <summary>A stored device with its id.</summary>
public sealed record StoredDevice(long Id, long RunId, string Key, string Component, string? Name, Provenance Provenance, string? Uuid, string? Note);
