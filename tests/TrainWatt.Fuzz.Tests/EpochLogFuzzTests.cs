using System.Text;
using TrainWatt.Core.Projection;

namespace TrainWatt.Fuzz.Tests;

/// <summary>
/// Epoch logs (<see cref="EpochLog.Read"/>): the reader reports every problem as one fatal fault naming the line and
/// never throws. Any exception is a failure; an accepted log must hold consecutive 0-based epochs with increasing times.
/// </summary>
public sealed class EpochLogFuzzTests
{
    public const int Cases = 2_000;
    private const int Seed = 13_002;

    private static readonly byte[][] Seeds =
    [
        "epoch,end_time\n0,2022-12-05T09:56:30.125\n1,2022-12-05T09:57:31.250\n2,2022-12-05T09:58:32.375\n3,2022-12-05T09:59:33.500\n"u8.ToArray(),
        "\uFEFFend_time,epoch,note\r\n\"2022-12-05T09:56:30+01:00\",0,\"a, b\"\r\n2022-12-05 09:57:31Z,1,\"\"\"quoted\"\"\"\r\n2022-12-05T09:58:32.1234567,2,x"u8.ToArray(),
    ];

    private static readonly byte[][] Tokens =
    [
        .. new[] { "epoch", "end_time", "2022-12-05T09:56:30.125", "2022-12-05T09:56:30.125-14:00", "2022-12-05T09:56:30.125+14:00", "12/05/2022", "1", "-1" }
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
        var read = EpochLog.Read(reader, $"fuzz-{fuzz.Index}.csv");
        if (read.IsFatal)
        {
            Assert.Empty(read.Epochs);
            throw new FuzzRejected(read.Faults[0].ToString());
        }

        Assert.NotEmpty(read.Epochs);
        for (int i = 0; i < read.Epochs.Count; i++)
        {
            Assert.Equal(i, read.Epochs[i].Index);
            Assert.True(i == 0 || read.Epochs[i].End > read.Epochs[i - 1].End);
        }
    }

    [Fact]
    public void Mutated_Epoch_Logs_Give_A_Fatal_Fault_Never_An_Exception()
    {
        FuzzHarness.RunAndAssert(
            new FuzzSpec("epoch log", Seed, Cases) { Documented = e => e is FuzzRejected },
            Generate,
            Check,
            minAccepted: Cases / 20,
            minRejected: Cases / 4);
    }
}
