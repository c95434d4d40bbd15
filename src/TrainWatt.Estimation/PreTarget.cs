namespace TrainWatt.Estimation;

/// <summary>What a PRE regression predicts.</summary>
public enum PreTarget
{
    /// <summary>Average GPU power over the run, in W.</summary>
    Power,

    /// <summary>Average energy of one epoch (GPU + modelled RAM, as the paper measured it), in J.</summary>
    EpochEnergy,

    /// <summary>Average duration of one epoch, in s.</summary>
    EpochDuration,
}

/// <summary>Names and units of <see cref="PreTarget"/> values.</summary>
public static class PreTargets
{
    public static IReadOnlyList<PreTarget> All { get; } = [PreTarget.Power, PreTarget.EpochEnergy, PreTarget.EpochDuration];

    /// <summary>The CLI/JSON name: power, epoch-energy, epoch-duration.</summary>
    public static string Name(this PreTarget target) => target switch
    {
        PreTarget.Power => "power",
        PreTarget.EpochEnergy => "epoch-energy",
        PreTarget.EpochDuration => "epoch-duration",
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    /// <summary>Unit of the target's values: W, J or s.</summary>
    public static string Unit(this PreTarget target) => target switch
    {
        PreTarget.Power => "W",
        PreTarget.EpochEnergy => "J",
        PreTarget.EpochDuration => "s",
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    /// <summary>Parses a CLI name; throws <see cref="FormatException"/> listing the valid names.</summary>
    public static PreTarget Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "power" => PreTarget.Power,
        "epoch-energy" or "energy" => PreTarget.EpochEnergy,
        "epoch-duration" or "duration" => PreTarget.EpochDuration,
        _ => throw new FormatException($"Unknown target '{text}'; use power, epoch-energy or epoch-duration."),
    };
}
