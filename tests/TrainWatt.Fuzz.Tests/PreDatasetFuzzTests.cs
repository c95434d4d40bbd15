using System.Text;
using TrainWatt.Estimation;

namespace TrainWatt.Fuzz.Tests;

/// <summary>
/// PRE fitting data sets, CSV (<see cref="PreDataset.Parse"/>, which <see cref="PreDataset.Load"/> calls on the file,
/// as <c>trainwatt pre fit</c> and <c>pre evaluate</c> do): a bad file is a <see cref="PreDatasetException"/> naming
/// the file, line and column; nothing else may escape.
/// </summary>
public sealed class PreDatasetFuzzTests
{
    public const int Cases = 1_500;
    private const int Seed = 13_007;

    private const string Header = "batch_size,ram_gb,training_size,validation_size,gflops,image_height,image_width,gpu,avg_gpu_power_w,avg_epoch_energy_kj";

    private static readonly byte[][] Seeds =
    [
        Encoding.UTF8.GetBytes(Header + ",architecture\n32,16,60000,10000,0.6,224,224,RTX 3090,250.5,12.5,mobilenet_v2\n64,32,60000,10000,15.5,224,224,\"NVIDIA GeForce RTX 3070\",210,80.25,vgg16\n16,8,1000,200,4.1,32,32,GTX 1050,70,1.5,resnet50\n"),
        Encoding.UTF8.GetBytes("\uFEFFgpu,batch_size,ram_gb,training_size,validation_size,gflops,image_height,image_width,avg_gpu_power_w,avg_epoch_energy_j,avg_epoch_duration_s,gpu_cuda_cores,gpu_memory_gb,gpu_tdp_w\r\nRTX 3090,32,16,100,50,1.5,128,128,250,2500,10,10496,24,350\r\n\"RTX 3090\",8,4,10,5,0.5,28,28,100,1000,10.5,10496,24,350\r\n"),
    ];

    private static readonly byte[][] Tokens =
    [
        .. new[] { "RTX 3090", "NVIDIA GeForce RTX 3090", "A100", "H100 SXM", "no such gpu", "0.0001", "1e-300", "1e300", "1e308", "2147483648", "avg_epoch_duration_s", "gpu_cuda_cores" }
            .Select(Encoding.UTF8.GetBytes),
    ];

    internal static FuzzCase Generate(int index, Random rng)
    {
        var seed = Seeds[rng.Next(Seeds.Length)];
        byte[] data = rng.Next(5) == 0 ? Mutator.MutateLines(seed, rng, out string how) : Mutator.Mutate(seed, rng, out how, Seeds, Tokens);
        return new FuzzCase(index, how, data);
    }

    internal static void Check(FuzzCase fuzz)
    {
        using var reader = new StreamReader(new MemoryStream(fuzz.Input, writable: false), Encoding.UTF8);
        var rows = PreDataset.Parse(reader, $"fuzz-{fuzz.Index}.csv");
        Assert.NotEmpty(rows);
    }

    /// <summary>
    /// An unknown GPU name of 100 KB took about 3 s to refuse (Debug; 1 MB about 30 s): its edit distance to every
    /// name and alias was computed for the "closest matches", and the message quoted all 100 KB. A name longer than
    /// <see cref="TrainWatt.Core.Reference.GpuSpecTable.MaxNameLength"/> is now refused before any search, with its start
    /// and length. (The time is not asserted here: the fuzz run below runs such names under its per-case hang guard.)
    /// </summary>
    [Fact]
    public void Bug_A_Very_Long_Unknown_Gpu_Name_Is_Refused_Quickly()
    {
        string csv = Header + "\n32,16,100,50,1.5,128,128,RT" + new string('9', 100_000) + ",250,2.5\n";
        var e = Assert.Throws<PreDatasetException>(() => PreDataset.Parse(new StringReader(csv), "runs.csv"));
        Assert.Equal(
            "runs.csv:2: Unknown GPU \"RT" + new string('9', 58) + "... (100,002 characters)\": a GPU name has at most 200 letters and digits. " +
            "Give the name nvidia-smi shows (e.g. NVIDIA GeForce RTX 3090) or a part of it (3090); list the table with 'trainwatt gpus'.",
            e.Message);
    }

    [Fact]
    public void Mutated_Data_Sets_Load_Or_Fail_With_PreDatasetException()
    {
        FuzzHarness.RunAndAssert(
            new FuzzSpec("PRE data set CSV", Seed, Cases) { Documented = e => e is PreDatasetException },
            Generate,
            Check,
            minAccepted: Cases / 20,
            minRejected: Cases / 4);
    }
}
