using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Spectre.Console;
using TrainWatt.Core.Accounting;
using TrainWatt.Measurement.Traces;

namespace TrainWatt.Cli.Commands;

/// <summary>The <c>energy --method</c> choices.</summary>
internal enum EnergyMethod
{
    /// <summary>Trapezoid rule between samples (default).</summary>
    Trapezoid,

    /// <summary>Left Riemann sum: each reading held until the next.</summary>
    Left,
}

/// <summary><c>trainwatt energy</c>'s options.</summary>
/// <param name="Paths">Trace files or directories.</param>
/// <param name="Json">Write JSON instead of a table.</param>
/// <param name="Parity">--parity seaa2023.</param>
/// <param name="Method">--method; <paramref name="MethodGiven"/> says whether it was written (parity fixes it).</param>
/// <param name="MethodGiven">True when --method was on the command line.</param>
/// <param name="GapThreshold">--gap-threshold.</param>
/// <param name="Idle">--idle, or null.</param>
internal sealed record EnergySettings(
    IReadOnlyList<string> Paths,
    bool Json,
    bool Parity,
    EnergyMethod Method,
    bool MethodGiven,
    TimeSpan GapThreshold,
    IdleBaseline? Idle) : ICommandSettings
{
    public TraceEnergyOptions Options => new(Method == EnergyMethod.Left ? IntegrationMethod.LeftRiemann : IntegrationMethod.Trapezoid, GapThreshold, Parity, Idle);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Paths.Count == 0)
        {
            problems.Add("PATH: give at least one trace file or directory.");
        }

        if (Parity && MethodGiven && Method != EnergyMethod.Trapezoid)
        {
            problems.Add($"--parity seaa2023 fixes the integration to the trapezoid rule; leave out --method {OptionValues.Name(Method)}.");
        }

        if (GapThreshold <= TimeSpan.Zero)
        {
            problems.Add($"--gap-threshold: {OptionValues.Text(GapThreshold)} is not a positive duration (an interval longer than it is a gap); write e.g. 5s, 1500ms or 2m.");
        }

        return problems;
    }
}

/// <summary>
/// <c>trainwatt energy PATH... [--parity seaa2023] [--json] [--gap-threshold 5s] [--method trapezoid|left] [--idle W|first:N]</c>:
/// integrates nvidia-smi CSV traces (<see cref="TraceEnergy.Integrate"/>) and prints a table or JSON; every trace
/// that gave no energy is reported on stderr, the others still printed.
/// </summary>
internal static class EnergyCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Trace files (any name, plain or gzip) or directories (searched recursively for gpu-power-*.csv and gpu-power-*.csv.gz).",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Write one JSON array (one object per trace and device) to stdout." };
        var parity = new Option<string?>("--parity")
        {
            Description = "Reproduce a paper's own energy figure exactly. seaa2023: drop 3+3 samples, integer watts, trapezoid.",
            HelpName = "seaa2023",
        };
        parity.AcceptOnlyFromAmong(Seaa2023Parity.Name);
        var method = new Option<EnergyMethod>("--method")
        {
            Description = "Integration rule between samples: trapezoid (default) or left (left Riemann sum, each reading held until the next).",
            HelpName = "trapezoid|left",
        }.OneOfEnum();
        var gap = new Option<TimeSpan>("--gap-threshold")
        {
            Description = "An interval between samples longer than this is a gap: reported, and not integrated (bridged and flagged under --parity). Examples: 5s, 1500ms, 2m.",
            DefaultValueFactory = _ => EnergyOptions.Default.GapThreshold,
            CustomParser = OptionValues.Duration,
            HelpName = "duration",
        };
        var idle = new Option<IdleBaseline?>("--idle")
        {
            Description = "Also report net energy above an idle baseline: a power in watts (e.g. 25W), or first:N to measure it as the mean of each trace's first N samples.",
            HelpName = "W|first:N",
            CustomParser = ParseIdle,
        };

        var command = new Command("energy", "Integrate GPU power traces (nvidia-smi CSV) to energy.");
        command.Arguments.Add(paths);
        foreach (var option in new Option[] { json, parity, method, gap, idle })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var settings = new EnergySettings(
                parse.GetValue(paths) ?? [],
                parse.GetValue(json),
                parse.GetValue(parity) is not null,
                parse.GetValue(method),
                parse.GetResult(method) is { Implicit: false },
                parse.GetValue(gap),
                parse.GetValue(idle)).ThrowIfInvalid();
            var report = TraceEnergy.Integrate(settings.Paths, settings.Options);
            Render(context, report, settings);
            return (int)report.Outcome;
        });
        return command;
    }

    private static IdleBaseline? ParseIdle(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (IdleBaseline.TryParse(text, out var baseline, out string? error))
        {
            return baseline;
        }

        result.AddError("--idle: " + error);
        return null;
    }

    private static void Render(CliContext context, TraceEnergyReport report, EnergySettings settings)
    {
        foreach (var problem in report.Problems)
        {
            context.Diagnostic(problem.IsError ? "error: " + problem.Text : "  " + problem.Text);
        }

        if (settings.Json)
        {
            context.WriteData(CliJson.Write(report.Rows, TraceJsonContext.Relaxed.IReadOnlyListTraceEnergyRow));
        }
        else
        {
            WriteTable(context, report.Rows, settings);
        }

        WriteFaultSummary(context, report.Rows);
    }

    private static void WriteTable(CliContext context, IReadOnlyList<TraceEnergyRow> rows, EnergySettings settings)
    {
        if (rows.Count == 0)
        {
            return;
        }

        // One unit per column (kJ from 10 kJ up), invariant digits. Kept narrow so it fits 80 columns when piped:
        // samples, integrated time and every fault are in --json.
        bool kilo = rows.Max(r => Math.Abs(r.EnergyJ)) >= 1e4;
        string unit = kilo ? "kJ" : "J";
        string Energy(double joules) => (kilo ? joules / 1000 : joules).ToString("N1", CultureInfo.InvariantCulture);
        string Watts(double watts) => watts.ToString("N1", CultureInfo.InvariantCulture);

        // Long paths would crush the table: show them relative to the folder they share, named in the title.
        string common = CommonDirectory(rows.Select(r => r.File).Distinct().ToList());
        var gpuNames = rows.Select(r => r.GpuName).Distinct().ToList();
        bool showDevice = gpuNames.Count > 1 || rows.Any(r => r.Device != "0");
        bool hasNet = rows.Any(r => r.NetEnergyJ is not null);
        string title = string.Join(", ", new[] { common.Length > 0 ? $"in {common}" : null, gpuNames.Count == 1 ? gpuNames[0] : null }.OfType<string>());

        var table = new Table().Border(TableBorder.Simple);
        if (title.Length > 0)
        {
            table.Title(Markup.Escape(title));
        }

        table.AddColumn("File");
        if (showDevice)
        {
            table.AddColumn("Device");
        }

        table.AddColumn(new TableColumn($"Energy {unit}").RightAligned());
        if (hasNet)
        {
            table.AddColumn(new TableColumn("Idle W").RightAligned());
            table.AddColumn(new TableColumn($"Net {unit}").RightAligned());
        }

        foreach (string right in new[] { "h:mm:ss", "Mean W", "Max W", "Faults" })
        {
            table.AddColumn(new TableColumn(right).RightAligned());
        }

        foreach (var r in rows)
        {
            var cells = new List<string> { Markup.Escape(r.File[common.Length..]) };
            if (showDevice)
            {
                cells.Add(Markup.Escape(gpuNames.Count == 1 || r.GpuName is null ? r.Device : $"{r.Device}: {r.GpuName}"));
            }

            cells.Add(Energy(r.EnergyJ));
            if (hasNet)
            {
                cells.Add(r.IdlePowerW is { } w ? Watts(w) : "-");
                cells.Add(r.NetEnergyJ is { } n ? Energy(n) : "-");
            }

            cells.AddRange([FormatDuration(r.DurationS), Watts(r.MeanPowerW), Watts(r.MaxPowerW), r.Faults.Count == 0 ? "0" : $"[yellow]{r.Faults.Count}[/]"]);
            table.AddRow(cells.ToArray());
        }

        if (rows.Count > 1)
        {
            var total = new List<string> { $"[bold]Total ({rows.Count})[/]" };
            if (showDevice)
            {
                total.Add(string.Empty);
            }

            total.Add($"[bold]{Energy(rows.Sum(r => r.EnergyJ))}[/]");
            if (hasNet)
            {
                total.Add(string.Empty);
                total.Add(Energy(rows.Sum(r => r.NetEnergyJ ?? 0)));
            }

            total.AddRange([FormatDuration(rows.Sum(r => r.DurationS)), string.Empty, string.Empty, rows.Sum(r => r.Faults.Count).ToString(CultureInfo.InvariantCulture)]);
            table.AddRow(total.ToArray());
        }

        string how = settings.Parity
            ? "SEAA 2023 parity: 3+3 samples dropped, integer watts, trapezoid; for comparison with the paper only"
            : $"{(settings.Method == EnergyMethod.Trapezoid ? "trapezoid" : "left Riemann")} on real time stamps, gaps over {settings.GapThreshold.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s excluded";
        table.Caption(Markup.Escape($"Sampled GPU energy ({how})."));
        context.Out.Write(table);
    }

    private static void WriteFaultSummary(CliContext context, IReadOnlyList<TraceEnergyRow> rows)
    {
        const int PerTrace = 3;
        foreach (var row in rows.Where(r => r.Faults.Count > 0))
        {
            var byKind = row.Faults.GroupBy(f => f.Kind).Select(g => $"{g.Count()} {g.Key.Replace('_', ' ')}");
            context.Diagnostic($"warning: {row.File} (device {row.Device}): {string.Join(", ", byKind)}");
            foreach (var f in row.Faults.Take(PerTrace))
            {
                context.Diagnostic("  " + TraceEnergy.Where(f));
            }

            if (row.Faults.Count > PerTrace)
            {
                context.Diagnostic($"  ... {row.Faults.Count - PerTrace} more (see --json for all).");
            }
        }
    }

    private static string FormatDuration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}");
    }

    /// <summary>The longest directory prefix (ending in a separator) shared by all paths; empty when none.</summary>
    private static string CommonDirectory(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return string.Empty;
        }

        string first = paths[0];
        int length = first.Length;
        foreach (string p in paths)
        {
            length = Math.Min(length, first.AsSpan(0, Math.Min(length, p.Length)).CommonPrefixLength(p));
        }

        int slash = first.AsSpan(0, length).LastIndexOfAny('/', Path.DirectorySeparatorChar);
        return slash < 0 ? string.Empty : first[..(slash + 1)];
    }
}
