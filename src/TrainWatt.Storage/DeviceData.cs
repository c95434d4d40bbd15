namespace TrainWatt.Storage;

/// <summary>A device and all its samples, for <see cref="IRunStore.WriteRun"/>. <see cref="SampleRecord.DeviceId"/> is ignored.</summary>
public sealed record DeviceData(DeviceRegistration Device, IReadOnlyList<SampleRecord> Samples);
