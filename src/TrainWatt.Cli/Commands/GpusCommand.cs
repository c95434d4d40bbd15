using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Core.Reference;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt gpus</c>'s options.</summary>
/// <param name="Search">A GPU name or part of one; null or empty for the whole table.</param>
/// <param name="Json">--json.</param>
internal sealed record GpusSettings(string? Search, bool Json) : ICommandSettings
{
    public IReadOnlyList<string> Validate() => [];
}

/// <summary>
/// <c>trainwatt gpus [SEARCH] [--json]</c>: lists the GPU specification table, or the rows matching SEARCH
/// (<see cref="GpuLookup"/>). A name that identifies one GPU ("3090", "NVIDIA GeForce RTX 3090") prints that GPU in
/// full; an unknown name fails with the closest names (the bare message on stderr, exit 64).
/// </summary>
internal static class GpusCommand
{
    public static Command Create(CliContext context)
    {
        var search = new Argument<string?>("search")
        {
            Description = "A GPU name or part of one (\"RTX 3090\", \"3090\", \"A100\", \"NVIDIA H100 80GB HBM3\"). Omit to list all.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON array of GPU objects to stdout." };
        var command = new Command("gpus", "List or look up GPU specifications (cores, memory, TDP, TFLOPS) from TrainWatt's table.");
        command.Arguments.Add(search);
        command.Options.Add(json);
        command.SetAction(parse => Failures.Run(context, () =>
        {
            var settings = new GpusSettings(parse.GetValue(search), parse.GetValue(json)).ThrowIfInvalid();
            var found = GpuLookup.Find(settings.Search);
            context.WriteData(settings.Json ? CliJson.Write([.. found.Gpus.Select(Json)], IndentedJsonContext.Default.IReadOnlyListGpuJson)
                : found.IsSingle ? Detail(found.Gpus[0]) : Listing(found.Gpus));
            return (int)ExitCode.Success;
        }, prefix: ""));
        return command;
    }

    private static string Listing(IReadOnlyList<GpuSpec> rows)
    {
        string[] header = ["NAME", "ARCH", "CORES", "MEM_GB", "BW_GB/S", "BOOST_MHZ", "TDP_W", "FP32_TFLOPS", "FP16_TFLOPS", "YEAR"];
        var cells = rows.Select(g => new[]
        {
            g.Name,
            g.Architecture,
            Num(g.CudaCores),
            Num(g.MemoryGigabytes),
            Num(g.BandwidthGigabytesPerSecond),
            Num(g.BoostClockMegahertz),
            Num(g.ThermalDesignPower.Watts),
            Num(g.Fp32Teraflops),
            g.Fp16Teraflops is { } f ? $"{Num(f)} {g.Fp16Kind}" : "-",
            Num(g.Year),
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var sb = new StringBuilder();
        foreach (var row in cells.Prepend(header))
        {
            sb.AppendJoin("", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i] + 2))).Append('\n');
        }

        sb.Append(CultureInfo.InvariantCulture, $"{rows.Count} GPU(s). FP16 is the dense (non-sparse) peak: tensor = tensor cores, vector = CUDA cores. TDP is the specification board power.\n");
        return sb.ToString();
    }

    private static string Detail(GpuSpec g)
    {
        var sb = new StringBuilder();
        void Line(string label, string value) => sb.Append(label.PadRight(18)).Append(value).Append('\n');
        Line("Name", g.Name);
        Line("Aliases", g.Aliases.Count == 0 ? "-" : string.Join(" | ", g.Aliases));
        Line("Segment", g.Segment);
        Line("Architecture", g.Architecture);
        Line("CUDA cores", Num(g.CudaCores));
        Line("Memory", $"{Num(g.MemoryGigabytes)} GB {g.MemoryType}");
        Line("Bandwidth", $"{Num(g.BandwidthGigabytesPerSecond)} GB/s");
        Line("Clocks", $"{(g.BaseClockMegahertz is { } b ? Num(b) : "-")} MHz base, {Num(g.BoostClockMegahertz)} MHz boost");
        Line("TDP", $"{Num(g.ThermalDesignPower.Watts)} W (specification)");
        Line("FP32", $"{Num(g.Fp32Teraflops)} TFLOPS");
        Line("FP16", g.Fp16Teraflops is { } f ? $"{Num(f)} TFLOPS dense ({g.Fp16Kind})" : "-");
        Line("Year", Num(g.Year));
        Line("Source", g.Source);
        return sb.ToString();
    }

    private static GpuJson Json(GpuSpec g) => new(
        g.Name, g.Aliases, g.Segment, g.Architecture, g.CudaCores, g.MemoryGigabytes, g.MemoryType, g.BandwidthGigabytesPerSecond,
        g.BaseClockMegahertz, g.BoostClockMegahertz, g.ThermalDesignPower.Watts, g.Fp32Teraflops,
        g.Fp16Teraflops, g.Fp16Teraflops is null ? null : g.Fp16Kind, g.Year, g.Source);

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
