using System.Text;
using System.Text.Json;

namespace TrainWatt.Core.Simulation;

/// <summary>One simulated run written to disk: RUN-gpu.csv (nvidia-smi), RUN-epochs.csv (epoch log), RUN-truth.json.</summary>
public sealed record SimulatedRunFile(string TracePath, string EpochLogPath, string TruthPath, SyntheticRun Run);

/// <summary><c>trainwatt simulate</c> as a library call: synthetic runs with known truth, for trying <c>trainwatt project</c>.</summary>
public static class SimulatedRunFiles
{
    /// <summary>The most runs one call writes (each is a few MB at 10 Hz).</summary>
    public const int MaxCount = 10_000;

    /// <summary>The slowest sampling rate, in Hz: an epoch of 20 s still gets two samples.</summary>
    public const double MinHz = 0.1;

    /// <summary>The fastest sampling rate, in Hz (nvidia-smi's -lms 1).</summary>
    public const double MaxHz = 1000;

    /// <summary>
    /// Writes <paramref name="count"/> runs drawn from seeds <paramref name="seed"/>, <paramref name="seed"/> + 1, ...
    /// into <paramref name="folder"/> (created if missing), each as it is enumerated. <paramref name="sampleHz"/>
    /// overrides the drawn sampling rate. Throws <see cref="IOException"/> naming the folder when it cannot be written.
    /// </summary>
    public static IEnumerable<SimulatedRunFile> Write(string folder, int seed, int count, double? sampleHz = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)seed + count - 1, int.MaxValue, nameof(seed));
        if (sampleHz is { } hz && !(hz >= MinHz && hz <= MaxHz))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleHz), hz, $"The sampling rate must be from {MinHz} to {MaxHz} Hz.");
        }

        for (int i = 0; i < count; i++)
        {
            var spec = SyntheticRunSpec.Random(seed + i);
            if (sampleHz is { } rate)
            {
                spec = spec with { SampleHz = rate };
            }

            yield return WriteOne(folder, spec);
        }
    }

    private static SimulatedRunFile WriteOne(string folder, SyntheticRunSpec spec)
    {
        var run = TrainingRunSimulator.Generate(spec);
        string stem = Path.Combine(folder, $"run-{spec.Seed}");
        var file = new SimulatedRunFile(stem + "-gpu.csv", stem + "-epochs.csv", stem + "-truth.json", run);
        try
        {
            Directory.CreateDirectory(folder);
            using (var writer = new StreamWriter(file.TracePath))
            {
                TrainingRunSimulator.WriteNvidiaSmiCsv(writer, run);
            }

            using (var writer = new StreamWriter(file.EpochLogPath))
            {
                TrainingRunSimulator.WriteEpochLog(writer, run);
            }

            File.WriteAllText(file.TruthPath, TruthJson(run));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write into {folder}: {e.Message}", e);
        }

        return file;
    }

    /// <summary>The truth file: one JSON object and a newline.</summary>
    internal static string TruthJson(SyntheticRun run)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("seed", run.Spec.Seed);
            w.WriteNumber("sample_hz", run.Spec.SampleHz);
            w.WriteNumber("total_epochs", run.TotalEpochs);
            w.WriteNumber("min_epochs", run.Spec.MinEpochs);
            w.WriteNumber("max_epochs", run.Spec.MaxEpochs);
            w.WriteNumber("change_epoch", run.Spec.ChangeIndex);
            w.WriteNumber("measured_energy_j", run.MeasuredEnergy.Joules);
            w.WriteNumber("exact_energy_j", run.ExactEnergy.Joules);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
