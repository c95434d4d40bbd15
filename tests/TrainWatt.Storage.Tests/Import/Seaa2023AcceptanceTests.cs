using System.Globalization;
using TrainWatt.Core.Text;
using TrainWatt.Storage.Import;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Import;

/// <summary>
/// Issue 2 acceptance on the real data (../shared/data/seaa2023; skipped when absent): all 309 runs stored, exactly the
/// 47 lost-tail runs (crosscheck.csv gpu_last_minus_cpu_last_s &lt; 0) and the 7 early-process-end runs
/// (gpu_last_minus_cpu_last_s &gt; 10) flagged, GPU energy equal to trace-index.csv energy_J, re-import idempotent.
/// </summary>
public class Seaa2023AcceptanceTests
{
    [Fact]
    public void Should_Import_All_309_Runs_With_Exactly_The_Known_Flags_And_Reimport_Idempotently()
    {
        string seaa = SharedData.RequireSeaa2023();
        using var temp = new TempDirectory();
        using var store = SqliteRunStore.Open(temp.File("seaa.db"));
        var crosscheck = ReadCsv(Path.Combine(seaa, "crosscheck.csv"));
        var index = ReadCsv(Path.Combine(seaa, "trace-index.csv"));
        static string Key(Dictionary<string, string> row) => $"seaa2023:{row["environment"]}/{row["model"]}/{row["file_timestamp"]}";
        static double Number(Dictionary<string, string> row, string column) => double.Parse(row[column], CultureInfo.InvariantCulture);

        // When
        var report = new Seaa2023Importer(store).Import(seaa);

        // Then
        Assert.Empty(report.Failed);
        Assert.Empty(report.AllWarnings); // every one of the 309 process traces pairs with its GPU trace
        Assert.Equal(309, report.Imported.Count);
        Assert.Equal(309, store.ListRuns().Count);
        var flagged = report.Imported.ToDictionary(r => r.SourceKey, r => r.Flags);
        var expectedLostTail = crosscheck.Where(r => Number(r, "gpu_last_minus_cpu_last_s") < 0).Select(Key).Order().ToList();
        var expectedEarlyEnd = crosscheck.Where(r => Number(r, "gpu_last_minus_cpu_last_s") > 10).Select(Key).Order().ToList();
        Assert.Equal(47, expectedLostTail.Count);
        Assert.Equal(7, expectedEarlyEnd.Count);
        Assert.Equal(expectedLostTail, flagged.Where(f => f.Value.Contains("lost_tail")).Select(f => f.Key).Order());
        Assert.Equal(expectedEarlyEnd, flagged.Where(f => f.Value.Contains("early_process_end")).Select(f => f.Key).Order());
        // Issue 14: of those 7, the process traces that span under half of their GPU trace (cloud NASNetMobile runs
        // 23-29, 0.6-10 %: trace-index.csv's cpu_trace_first..cpu_trace_last against its duration_s) are flagged as partial too.
        static double CpuSpan(Dictionary<string, string> row) => (DateTime.Parse(row["cpu_trace_last"], CultureInfo.InvariantCulture) - DateTime.Parse(row["cpu_trace_first"], CultureInfo.InvariantCulture)).TotalSeconds;
        var expectedPartial = index.Where(r => CpuSpan(r) < 0.5 * Number(r, "duration_s")).Select(Key).Order().ToList();
        Assert.Equal(7, expectedPartial.Count);
        Assert.Equal(expectedPartial, flagged.Where(f => f.Value.Contains("partial_process_trace")).Select(f => f.Key).Order());
        Assert.Equal(48, flagged.Count(f => f.Value.Contains("truncated_line"))); // README: 48 files end in a half-written line
        Assert.DoesNotContain(flagged, f => f.Value.Contains("unpaired") || f.Value.Contains("no_metadata"));

        // GPU energy from the stored samples equals the independent whole-trace trapezoid of trace-index.csv (rounded there to 0.01 J).
        var ids = report.Imported.ToDictionary(r => r.SourceKey, r => r.RunId);
        foreach (var row in index)
        {
            var gpu = store.GetRun(ids[Key(row)])!.Energy.Single(e => e.Device.Component == "gpu");
            double expected = Number(row, "energy_J");
            Assert.True(Math.Abs(gpu.Energy!.Value.Joules - expected) <= 1e-6 * expected, $"{Key(row)}: {gpu.Energy.Value.Joules} J vs trace-index {expected} J");
            Assert.Equal(long.Parse(row["n_samples"], CultureInfo.InvariantCulture), gpu.Samples);
        }

        var again = new Seaa2023Importer(store).Import(seaa);
        Assert.Empty(again.Imported);
        Assert.Equal(309, again.Skipped.Count);
        Assert.Equal(309, store.ListRuns().Count);
        Assert.Equal("ok", store.CheckIntegrity());
    }

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var csv = CsvReader.Open(path);
        return csv.ReadRows()
            .Select(row => csv.Header.Names.Zip(row.ToArray()).ToDictionary(p => p.First, p => p.Second))
            .ToList();
    }
}
