using System.Globalization;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using TrainWatt.Testing;

namespace TrainWatt.Core.Tests.Accounting;

/// <summary>
/// Acceptance on the 309 real SEAA 2023 GPU traces in ../shared/data/seaa2023 (skipped when absent). Oracles:
/// crosscheck.csv <c>processed_energy_J</c> (the authors' own energy) and trace-index.csv <c>energy_J</c> (an
/// independent plain trapezoid over all complete samples, float watts, real time stamps), both in that folder.
/// </summary>
public class Seaa2023AcceptanceTests
{
    private static List<Dictionary<string, string>> ReadTable(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))
            .ToList();
    }

    private static string TracePath(string root, Dictionary<string, string> row)
        => Path.Combine(root, "traces", row["environment"], row["model"], $"gpu-power-{row["file_timestamp"]}.csv.gz");

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void Parity_Energy_Equals_The_Authors_Processed_Energy_On_All_309_Traces()
    {
        string root = SharedData.RequireSeaa2023();
        var rows = ReadTable(Path.Combine(root, "crosscheck.csv"));
        var withTrace = rows.Where(r => File.Exists(TracePath(root, r))).ToList();
        Assert.Equal(309, withTrace.Count);

        var failures = new List<string>();
        foreach (var row in withTrace)
        {
            string path = TracePath(root, row);
            var read = NvidiaSmiCsv.ReadFile(path, Seaa2023Parity.ReadOptions);
            Assert.False(read.IsFatal, path);
            var energy = EnergyAccounting.Integrate(Assert.Single(read.Devices), Seaa2023Parity.EnergyOptionsFor(read)).Result!.Energy.Joules;
            double expected = Number(row["processed_energy_J"]);
            double rel = Math.Abs(energy - expected) / expected;
            if (rel > 1e-9)
            {
                failures.Add($"{path}: {energy:R} J vs {expected:R} J (rel {rel:E2})");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Plain_Energy_Equals_Trace_Index_On_All_309_Traces_With_48_Half_Written_Lines_Reported()
    {
        string root = SharedData.RequireSeaa2023();
        var rows = ReadTable(Path.Combine(root, "trace-index.csv"));
        Assert.Equal(309, rows.Count);

        var failures = new List<string>();
        int truncatedFaults = 0;
        int otherFaults = 0;
        foreach (var row in rows)
        {
            string path = TracePath(root, row);
            var read = NvidiaSmiCsv.ReadFile(path);
            Assert.False(read.IsFatal, path);
            truncatedFaults += read.Faults.Count(f => f.Kind == FaultKind.TruncatedLine);
            otherFaults += read.Faults.Count(f => f.Kind != FaultKind.TruncatedLine);

            // A half-written line is reported exactly where trace-index.csv says a row was dropped.
            Assert.Equal(int.Parse(row["truncated_rows_dropped"], CultureInfo.InvariantCulture), read.Faults.Count);

            var device = EnergyAccounting.Integrate(Assert.Single(read.Devices));
            Assert.Empty(device.Faults); // no gap over 5 s in this data (trace-index max_gap_s ≤ 3.74 s)
            var r = device.Result!;
            Assert.Equal(int.Parse(row["n_samples"], CultureInfo.InvariantCulture), r.Samples);
            double expected = Number(row["energy_J"]);
            double rel = Math.Abs(r.Energy.Joules - expected) / expected;
            if (rel > 1e-6)
            {
                failures.Add($"{path}: {r.Energy.Joules:R} J vs {expected:R} J (rel {rel:E2})");
            }

            Assert.Equal(Number(row["duration_s"]), r.Duration.TotalSeconds, 3);
            Assert.Equal(Number(row["max_power_W"]), r.MaxPower.Watts, 6);
        }

        Assert.Empty(failures);
        Assert.Equal(48, truncatedFaults);
        Assert.Equal(0, otherFaults);
    }
}
