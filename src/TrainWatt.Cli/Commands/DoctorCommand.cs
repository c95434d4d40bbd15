using System.CommandLine;
using System.Text;
using TrainWatt.Measurement.Doctor;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt doctor</c>'s options.</summary>
/// <param name="Gpus">--gpus: NVML indices or UUIDs, comma-separated; null for CUDA_VISIBLE_DEVICES, else all.</param>
/// <param name="Json">--json.</param>
internal sealed record DoctorSettings(string? Gpus, bool Json) : ICommandSettings
{
    public IReadOnlyList<string> Validate()
        => Gpus is not null && Gpus.Split(',').Any(string.IsNullOrWhiteSpace)
            ? [$"--gpus: '{Gpus}' has an empty entry; give NVML indices or UUIDs separated by commas, e.g. --gpus 0,1."]
            : [];
}

/// <summary>
/// <c>trainwatt doctor [--gpus 0,1] [--json]</c>: tries every meter technology, lists what each found and, for each
/// unavailable one, the reason and the exact fix; adds what the environment says about GPUs (container, device nodes,
/// NVIDIA_VISIBLE_DEVICES) (<see cref="MeterDoctor"/>). The report goes to stdout; exit code 0 whenever the checks ran.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var gpus = new Option<string?>("--gpus") { Description = "GPUs to check, as for measure: NVML indices or UUIDs, comma-separated (default: CUDA_VISIBLE_DEVICES, else all)." };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON to stdout." };
        var command = new Command("doctor", "Check which meters work on this machine and how to fix the ones that do not.");
        command.Options.Add(gpus);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var settings = new DoctorSettings(parse.GetValue(gpus), parse.GetValue(json)).ThrowIfInvalid();
            var report = MeterDoctor.Diagnose(settings.Gpus, context.Host);
            context.WriteData(settings.Json ? CliJson.Write(Json(report), IndentedJsonContext.Default.DoctorJson) : Text(report));
            return (int)ExitCode.Success;
        });
        return command;
    }

    private static string Text(DoctorReport report)
    {
        var sb = new StringBuilder();
        sb.Append("TrainWatt doctor: meters on this machine\n\n");
        foreach (var p in report.Probes)
        {
            sb.Append(p.Available ? "[ok] " : "[--] ").Append(p.Meter).Append(p.Available ? ": available\n" : ": unavailable\n");
            foreach (string f in p.Found)
            {
                sb.Append("     ").Append(f).Append('\n');
            }

            foreach (string w in p.Warnings)
            {
                sb.Append("     warning: ").Append(w).Append('\n');
            }

            if (!p.Available)
            {
                sb.Append("     reason: ").Append(p.Reason).Append('\n');
                if (p.Fix is not null)
                {
                    sb.Append("     fix: ").Append(p.Fix).Append('\n');
                }
            }
        }

        sb.Append("\nEnvironment:\n");
        foreach (string fact in report.Environment.Facts())
        {
            sb.Append("     ").Append(fact).Append('\n');
        }

        if (report.GpuFix is not null)
        {
            sb.Append("\nNo GPU meter works. ").Append(report.GpuFix).Append('\n');
        }

        sb.Append("\n`trainwatt measure` (--meters auto) will use: ").Append(report.AutoMeters.Count == 0 ? "nothing" : string.Join(", ", report.AutoMeters)).Append('\n');
        if (!report.HasGpuMeter)
        {
            sb.Append("Without a GPU meter, measurements cover CPU and RAM only (RAPL counters or models), labelled as such.\n");
        }

        return sb.ToString();
    }

    private static DoctorJson Json(DoctorReport report)
    {
        var e = report.Environment;
        return new DoctorJson(
            1,
            [.. report.Probes.Select(p => new MeterJson(p.Meter, p.Available, p.Found, p.Reason, p.Fix, p.Warnings))],
            new DoctorEnvironmentJson(e.InContainer, e.HasDeviceNodes, e.KernelDriverVersion, e.NvidiaVisibleDevices, e.NvidiaDriverCapabilities, e.CudaVisibleDevices, report.GpuFix),
            report.AutoMeters);
    }
}
