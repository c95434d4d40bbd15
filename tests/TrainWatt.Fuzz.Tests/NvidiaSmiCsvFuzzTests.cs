using System.IO.Compression;
using System.Text;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using TrainWatt.Testing;

namespace TrainWatt.Fuzz.Tests;

/// <summary>
/// nvidia-smi CSV traces (<see cref="NvidiaSmiCsv.Read"/>, then <see cref="EnergyAccounting.Integrate(TraceReadResult, EnergyOptions?)"/>
/// as <c>trainwatt energy</c> does). The reader never throws for bad data: every problem is a fault, a file that
/// gives nothing is one fatal fault. So any exception is a failure, and so is a result that breaks the reader's
/// contract (a fatal result with devices, a device without samples).
/// </summary>
public sealed class NvidiaSmiCsvFuzzTests
{
    public const int Cases = 2_000;
    private const int Seed = 13_001;

    private static readonly byte[][] Seeds =
    [
        // nvidia-smi --format=csv, with units (the shipped sample's first lines)
        SampleHead(40),
        // --format=csv,nounits, two GPUs keyed by index
        Encoding.UTF8.GetBytes(
            "timestamp, index, power.draw [W], utilization.gpu [%], memory.used [MiB], temperature.gpu\n" +
            "2024/06/03 14:00:00.000, 0, 120.5, 50, 1024, 40\n2024/06/03 14:00:00.000, 1, 98.25, 10, 512, 38\n" +
            "2024/06/03 14:00:01.000, 0, 240.0, 99, 2048, 41\n2024/06/03 14:00:01.000, 1, 99.75, 11, 512, 38\n" +
            "2024/06/03 14:00:02.000, 0, 180.0, 70, 2048, 42\n2024/06/03 14:00:02.000, 1, [N/A], [Not Supported], 512, 39\n"),
        // keyed by bus id, CRLF, BOM, a renamed SEAA 2023 header
        Encoding.UTF8.GetBytes(
            "\uFEFFtimestamp,gpu_name,gpu_bus_id,gpu_power_draw,gpu_utilization\r\n" +
            "2022/12/05 09:55:44.557,NVIDIA GeForce RTX 3070,00000000:01:00.0,23.39 W,0 %\r\n" +
            "2022/12/05 09:55:45.559,NVIDIA GeForce RTX 3070,00000000:01:00.0,113.91 W,97 %\r\n" +
            "2022/12/05 09:55:46.561,NVIDIA GeForce RTX 3070,00000000:01:00.0,115.02 W,98 %"),
    ];

    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "timestamp", "power.draw [W]", "index", "pci.bus_id", "name", "2024/06/03 14:00:00.000", "2024/06/03 14:00:00", "2024/02/29 23:59:59.999",
            "99999/99/99 99:99:99.999", "2024/06/03 14:00:00.0000000000000001", "12.5 kW", "12.5 mW", "12.5 w", "-12.5 W", "1e400 W", "NaN W", "-0 W",
            "00000000:01:00.0", "0", "4294967296",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    private static byte[] SampleHead(int lines)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(SharedData.RepositoryRoot, "samples", "traces", "gpu-power-sample.csv.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var b = new StringBuilder();
        for (int i = 0; i < lines && reader.ReadLine() is { } line; i++)
        {
            b.Append(line).Append('\n');
        }

        return Encoding.UTF8.GetBytes(b.ToString());
    }

    internal static FuzzCase Generate(int index, Random rng)
    {
        var seed = Seeds[rng.Next(Seeds.Length)];
        byte[] data = rng.Next(5) == 0 ? Mutator.MutateLines(seed, rng, out string how) : Mutator.Mutate(seed, rng, out how, Seeds, Tokens);
        if (rng.Next(8) == 0)
        {
            // The reader detects gzip by its magic bytes: compress, and sometimes cut or damage the compressed bytes.
            var compressed = new MemoryStream();
            using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gz.Write(data);
            }

            data = compressed.ToArray();
            how += " + gzip";
            if (rng.Next(2) == 0)
            {
                data = Mutator.MutateOnce(data, rng, out string damage);
                how += " + " + damage;
            }
        }

        return new FuzzCase(index, how, data);
    }

    internal static void Check(FuzzCase fuzz)
    {
        var read = NvidiaSmiCsv.Read(new MemoryStream(fuzz.Input, writable: false), $"fuzz-{fuzz.Index}.csv");
        if (read.IsFatal)
        {
            Assert.Empty(read.Devices);
            Assert.Single(read.Faults);
            throw new FuzzRejected(read.Faults[0].ToString());
        }

        Assert.NotEmpty(read.Devices);
        Assert.All(read.Devices, d => Assert.NotEmpty(d.Samples));
        _ = EnergyAccounting.Integrate(read);
    }

    [Fact]
    public void Mutated_Traces_Give_Faults_Never_Exceptions_Hangs_Or_Unbounded_Memory()
    {
        FuzzHarness.RunAndAssert(
            new FuzzSpec("nvidia-smi CSV", Seed, Cases) { Documented = e => e is FuzzRejected },
            Generate,
            Check,
            minAccepted: Cases / 10,
            minRejected: Cases / 20);
    }
}
