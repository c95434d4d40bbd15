using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Core.Reference;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt gpus [SEARCH] [--json]</c>: lists the GPU specification table, or the rows matching SEARCH. A name that
/// identifies one GPU ("3090", "NVIDIA GeForce RTX 3090") prints that GPU in full; an unknown name fails with the
/// closest names.
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
        command.SetAction(parse => Run(context, parse.GetValue(search), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string? query, bool json)
    {
        var table = GpuSpecTable.Default;
        IReadOnlyList<GpuSpec> rows;
        bool single = false;
        if (string.IsNullOrWhiteSpace(query))
        {
            rows = table.Gpus;
        }
        else if (table.TryFind(query, out var spec))
        {
            rows = [spec];
            single = true;
        }
        else
        {
            rows = table.Search(query);
            if (rows.Count == 0)
            {
                try
                {
                    table.Find(query);
                }
                catch (ReferenceLookupException ex)
                {
                    WriteError(context, ex.Message);
                }

                return (int)ExitCode.Usage;
            }
        }

        context.WriteData(json ? ToJson(rows) : single ? Detail(rows[0]) : Listing(rows));
        return (int)ExitCode.Success;
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
        AppendRow(sb, header, widths);
        foreach (var c in cells)
        {
            AppendRow(sb, c, widths);
        }

        sb.Append(CultureInfo.InvariantCulture, $"{rows.Count} GPU(s). FP16 is the dense (non-sparse) peak: tensor = tensor cores, vector = CUDA cores. TDP is the specification board power.\n");
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths)
    {
        for (int i = 0; i < cells.Length; i++)
        {
            sb.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        sb.Append('\n');
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

    private static string ToJson(IReadOnlyList<GpuSpec> rows)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var g in rows)
            {
                w.WriteStartObject();
                w.WriteString("name", g.Name);
                w.WriteStartArray("aliases");
                foreach (string a in g.Aliases)
                {
                    w.WriteStringValue(a);
                }

                w.WriteEndArray();
                w.WriteString("segment", g.Segment);
                w.WriteString("architecture", g.Architecture);
                w.WriteNumber("cuda_cores", g.CudaCores);
                w.WriteNumber("memory_gb", g.MemoryGigabytes);
                w.WriteString("memory_type", g.MemoryType);
                w.WriteNumber("bandwidth_gbs", g.BandwidthGigabytesPerSecond);
                if (g.BaseClockMegahertz is { } b)
                {
                    w.WriteNumber("base_clock_mhz", b);
                }
                else
                {
                    w.WriteNull("base_clock_mhz");
                }

                w.WriteNumber("boost_clock_mhz", g.BoostClockMegahertz);
                w.WriteNumber("tdp_w", g.ThermalDesignPower.Watts);
                w.WriteNumber("fp32_tflops", g.Fp32Teraflops);
                if (g.Fp16Teraflops is { } f)
                {
                    w.WriteNumber("fp16_tflops", f);
                    w.WriteString("fp16_kind", g.Fp16Kind);
                }
                else
                {
                    w.WriteNull("fp16_tflops");
                    w.WriteNull("fp16_kind");
                }

                w.WriteNumber("year", g.Year);
                w.WriteString("source", g.Source);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>One diagnostic line to stderr, unwrapped, so a long message stays one line whatever the terminal width.</summary>
    private static void WriteError(CliContext context, string message) => context.Error.Profile.Out.Writer.WriteLine(message);
}
