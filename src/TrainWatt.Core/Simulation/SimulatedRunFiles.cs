using System.Text;
using System.Text.Json;

namespace TrainWatt.Core.Simulation;

/// <summary>One simulated run written to disk: RUN-gpu.csv (nvidia-smi), RUN-epochs.csv (epoch log), RUN-truth.json.</summary>
public sealed record SimulatedRunFile(string TracePath, string EpochLogPath, string TruthPath, SyntheticRun Run);

/// <summary><c>trainwatt simulate</c> as a library call: synthetic runs with known truth, for trying <c>trainwatt project</c>.</summary>
public static class SimulatedRunFiles
{
    /// <summary>
    /// Writes <paramref name="count"/> runs drawn from seeds <paramref name="seed"/>, <paramref name="seed"/> + 1, ...
    /// into <paramref name="folder"/> (created if missing), each as it is enumerated. <paramref name="sampleHz"/>
    /// overrides the drawn sampling rate. Throws <see cref="IOException"/> naming the folder when it cannot be written.
    /// </summary>
    public static IEnumerable<SimulatedRunFile> Write(string folder, int seed, int count, double? sampleHz = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (sampleHz is { } hz)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hz, nameof(sampleHz));
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
