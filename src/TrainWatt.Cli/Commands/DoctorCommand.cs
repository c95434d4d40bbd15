using System.CommandLine;
using System.Text;
using System.Text.Json;
using TrainWatt.Meters;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt doctor [--gpus 0,1] [--json]</c>: tries every meter technology, lists what each found and, for each
/// unavailable one, the reason and the exact fix; adds what the environment says about GPUs (container, device nodes,
/// NVIDIA_VISIBLE_DEVICES). The report goes to stdout; exit code 0 whenever the checks ran.
/// </summary>
internal static class DoctorCommand
{
    /// <summary>Replaces "/" when looking for container markers, /dev/nvidiactl and /proc/driver/nvidia (tests).</summary>
    public const string FileSystemRootEnvironmentVariable = "TRAINWATT_FS_ROOT";

    public static Command Create(CliContext context)
    {
        var gpus = new Option<string?>("--gpus") { Description = "GPUs to check, as for measure: NVML indices or UUIDs, comma-separated (default: CUDA_VISIBLE_DEVICES, else all)." };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON to stdout." };
        var command = new Command("doctor", "Check which meters work on this machine and how to fix the ones that do not.");
        command.Options.Add(gpus);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var request = new MeterRequest(MeterKinds.Auto, context.Env, context.Time, parse.GetValue(gpus));
            var probes = MeterFactory.ProbeAll(request);
            var environment = GpuEnvironment.Detect(context.Env, context.Env(FileSystemRootEnvironmentVariable) ?? "/");
            bool gpuAvailable = probes.Any(p => p.Meter is "nvml" or "nvidia-smi" && p.Available);
            string? gpuFix = gpuAvailable ? null : environment.GpuFix();
            var auto = AutoSelection(probes);
            context.WriteData(parse.GetValue(json)
                ? Json(probes, environment, gpuFix, auto)
                : Text(probes, environment, gpuFix, auto));
            return (int)ExitCode.Success;
        });
        return command;
    }

    /// <summary>What <c>measure --meters auto</c> would open, given these probes (the rule of <see cref="MeterFactory.Open"/>).</summary>
    private static List<string> AutoSelection(IReadOnlyList<MeterProbe> probes)
    {
        bool Ok(string name) => probes.Any(p => p.Meter == name && p.Available);
        var result = new List<string>();
        if (Ok("nvml"))
        {
            result.Add("nvml");
        }
        else if (Ok("nvidia-smi"))
        {
            result.Add("nvidia-smi");
        }

        if (Ok("rapl"))
        {
            result.Add("rapl");
        }

        if (Ok("process"))
        {
            result.Add("process");
        }

        return result;
    }

    private static string Text(IReadOnlyList<MeterProbe> probes, GpuEnvironment environment, string? gpuFix, List<string> auto)
    {
        var sb = new StringBuilder();
        sb.Append("TrainWatt doctor: meters on this machine\n\n");
        foreach (var p in probes)
        {
            sb.Append(p.Available ? "[ok] " : "[--] ").Append(p.Meter).Append(p.Available ? ": available\n" : ": unavailable\n");
            foreach (string f in p.Found)
            {
                sb.Append("     ").Append(f).Append('\n');
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
        foreach (string fact in environment.Facts())
        {
            sb.Append("     ").Append(fact).Append('\n');
        }

        if (gpuFix is not null)
        {
            sb.Append("\nNo GPU meter works. ").Append(gpuFix).Append('\n');
        }

        sb.Append("\n`trainwatt measure` (--meters auto) will use: ").Append(auto.Count == 0 ? "nothing" : string.Join(", ", auto)).Append('\n');
        if (!auto.Contains("nvml") && !auto.Contains("nvidia-smi"))
        {
            sb.Append("Without a GPU meter, measurements cover CPU and RAM only (RAPL counters or models), labelled as such.\n");
        }

        return sb.ToString();
    }

    private static string Json(IReadOnlyList<MeterProbe> probes, GpuEnvironment environment, string? gpuFix, List<string> auto)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("schema_version", 1);
            w.WriteStartArray("meters");
            foreach (var p in probes)
            {
                w.WriteStartObject();
                w.WriteString("meter", p.Meter);
                w.WriteBoolean("available", p.Available);
                w.WriteStartArray("found");
                foreach (string f in p.Found)
                {
                    w.WriteStringValue(f);
                }

                w.WriteEndArray();
                w.WriteString("reason", p.Reason);
                w.WriteString("fix", p.Fix);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("environment");
            w.WriteBoolean("in_container", environment.InContainer);
            w.WriteBoolean("nvidia_device_nodes", environment.HasDeviceNodes);
            w.WriteString("kernel_driver", environment.KernelDriverVersion);
            w.WriteString("nvidia_visible_devices", environment.NvidiaVisibleDevices);
            w.WriteString("nvidia_driver_capabilities", environment.NvidiaDriverCapabilities);
            w.WriteString("cuda_visible_devices", environment.CudaVisibleDevices);
            w.WriteString("gpu_fix", gpuFix);
            w.WriteEndObject();
            w.WriteStartArray("auto_meters");
            foreach (string m in auto)
            {
                w.WriteStringValue(m);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
