using System.Globalization;
using TrainWatt.Estimation;

namespace TrainWatt.Measurement.Pre;

/// <summary>The kinds of <see cref="PreModelChoice"/>.</summary>
public enum PreModelKind
{
    /// <summary>The paper's KRR arrays (not shipped: a folder from the replication package).</summary>
    Paper,

    /// <summary>The newest model `trainwatt fit` saved in the models folder.</summary>
    Latest,

    /// <summary>TrainWatt's shipped compact model.</summary>
    Default,

    /// <summary>A fitted model file.</summary>
    File,
}

/// <summary>Which PRE model estimates: <c>paper</c>, <c>latest</c>, <c>default</c> or a model FILE (command-line spelling in <see cref="ToString"/>).</summary>
public sealed record PreModelChoice(PreModelKind Kind, string? File = null)
{
    public static PreModelChoice Paper { get; } = new(PreModelKind.Paper);

    public static PreModelChoice Latest { get; } = new(PreModelKind.Latest);

    public static PreModelChoice Default { get; } = new(PreModelKind.Default);

    /// <summary>paper, latest, default (any case), else a file path.</summary>
    public static PreModelChoice Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "paper" => Paper,
            "latest" => Latest,
            "default" => Default,
            _ => new PreModelChoice(PreModelKind.File, text),
        };
    }

    /// <summary>
    /// The estimator: <paramref name="choice"/> null means latest when a fitted model exists, else default (see
    /// <see cref="PreModels.ResolveModel"/> for the folders and the errors).
    /// </summary>
    public static IPreEstimator Resolve(PreModelChoice? choice, string? paperModelsDirectory, string? modelsDirectory, HostContext host)
        => PreModels.ResolveModel(choice?.ToString(), paperModelsDirectory, modelsDirectory, host);

    public override string ToString() => Kind == PreModelKind.File ? File! : Kind.ToString().ToLowerInvariant();
}

/// <summary>A number of epochs, or a range MIN-MAX (the estimate's interval then spans both ends).</summary>
public readonly record struct EpochRange(double Min, double Max)
{
    /// <summary>The point estimate's epochs: the middle of the range.</summary>
    public double Midpoint => (Min + Max) / 2;

    public bool IsRange => Max > Min;

    /// <summary>"80" or "60-100" (also "60..100"); throws <see cref="PreModels.InputException"/> saying the form.</summary>
    public static EpochRange Parse(string text)
    {
        var (min, max) = PreModels.ParseEpochs(text);
        return new EpochRange(min, max);
    }

    public static EpochRange Exactly(double epochs) => new(epochs, epochs);

    public override string ToString() => IsRange
        ? string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}")
        : Min.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An input image size in pixels.</summary>
public readonly record struct ImageSize(int Height, int Width)
{
    /// <summary>"128x128", "128" (square) or "3x128x128" (channels ignored); throws <see cref="PreModels.InputException"/> saying the form.</summary>
    public static ImageSize Parse(string text)
    {
        var (h, w) = PreModels.ParseInput(text);
        return new ImageSize(h, w);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Height}x{Width}");
}
