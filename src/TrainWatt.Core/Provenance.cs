namespace TrainWatt.Core;

/// <summary>How a reported number was obtained. Every energy, power or carbon figure TrainWatt reports carries one.</summary>
public enum Provenance
{
    /// <summary>Difference of a hardware energy counter (NVML total energy, RAPL energy_uj).</summary>
    Counter,

    /// <summary>Integration of sampled instantaneous power (NVML power usage, nvidia-smi power.draw).</summary>
    Sampled,

    /// <summary>Computed from a model (TDP × utilisation, RAM W/GB, a regression); always comes with an interval or an assumption.</summary>
    Model,

    /// <summary>Given by the user (a measured idle baseline passed on the command line, a price, a PUE).</summary>
    UserGiven,
}
