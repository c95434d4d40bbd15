using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.NvidiaSmi;

/// <summary>A shell script standing in for nvidia-smi: answers the listing query and streams canned CSV lines.</summary>
internal sealed class FakeNvidiaSmi : IDisposable
{
    private readonly TempDirectory _dir = new("trainwatt-fake-smi");

    private FakeNvidiaSmi(string body)
    {
        Executable = _dir.File("nvidia-smi");
        File.WriteAllText(Executable, "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/args.log\"\n" + body);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Executable { get; }

    /// <summary>Every command line the fake was called with, one per line.</summary>
    public string Arguments => File.Exists(_dir.File("args.log")) ? File.ReadAllText(_dir.File("args.log")) : "";

    /// <summary>Two GPUs (the second's name has a comma); streams 123.45 W / 67.80 W every 50 ms.</summary>
    /// <param name="streamLines">Lines to stream before exiting as a lost GPU.</param>
    /// <param name="instant">False: an nvidia-smi older than power.draw.instant (exits 2 with its "not a valid field" message, as R470 does).</param>
    public static FakeNvidiaSmi TwoGpus(int streamLines = 1_000_000, bool instant = true) => new($$"""
        case "$*" in
          *power.draw.instant*noheader*)
            {{(instant ? "echo 98.76; exit 0" : "echo 'Field \"power.draw.instant\" is not a valid field to query.'; exit 2")}};;
          *noheader*)
            printf '0, GPU-aaaaaaaa-1111, NVIDIA Fake A100\n1, GPU-bbbbbbbb-2222, NVIDIA Fake, With Comma\n'
            exit 0;;
        esac
        echo "timestamp, index, power.draw [W], utilization.gpu [%], memory.used [MiB], temperature.gpu"
        i=0
        while [ $i -lt {{streamLines}} ]; do
          echo "2026/11/24 06:00:00.000, 0, 123.45 W, 87 %, 2048 MiB, 61"
          echo "2026/11/24 06:00:00.000, 1, 67.80 W, 10 %, 100 MiB, 40"
          i=$((i+1))
          sleep 0.05
        done
        echo "GPU lost" >&2
        exit 15
        """);

    /// <summary>
    /// Two GPUs listed; the stream has the bus id and UUID columns. Three rounds of GPU 0 (bus 01, 100 W), then every
    /// round a second GPU (bus 41, another UUID, 300 W) also shows as index 0: a renumbering, or a wrapper merging machines.
    /// </summary>
    public static FakeNvidiaSmi SharedIndex() => new("""
        case "$*" in
          *noheader*)
            printf '0, GPU-aaaaaaaa-1111, NVIDIA Fake A100\n1, GPU-bbbbbbbb-2222, NVIDIA Fake A100\n'
            exit 0;;
        esac
        echo "timestamp, index, pci.bus_id, uuid, power.draw [W], utilization.gpu [%], memory.used [MiB], temperature.gpu"
        i=0
        while [ $i -lt 1000000 ]; do
          echo "2026/11/24 06:00:00.000, 0, 00000000:01:00.0, GPU-aaaaaaaa-1111, 100.00 W, 87 %, 2048 MiB, 61"
          if [ $i -ge 3 ]; then echo "2026/11/24 06:00:00.000, 0, 00000000:41:00.0, GPU-cccccccc-3333, 300.00 W, 87 %, 2048 MiB, 61"; fi
          i=$((i+1))
          sleep 0.05
        done
        """);

    /// <summary>
    /// Two GPUs listed; the stream has no index (nor bus id) column, whatever it is asked, and interleaves two GPUs:
    /// 100 W and 300 W lines with the same time stamp, the time stamp advancing 100 ms a round.
    /// </summary>
    public static FakeNvidiaSmi WithoutIndexColumn() => new("""
        case "$*" in
          *noheader*)
            printf '0, GPU-aaaaaaaa-1111, NVIDIA Fake A100\n1, GPU-bbbbbbbb-2222, NVIDIA Fake A100\n'
            exit 0;;
        esac
        echo "timestamp, power.draw [W], utilization.gpu [%], memory.used [MiB], temperature.gpu"
        i=0
        while [ $i -lt 100000 ]; do
          s=$((i / 10)); ms=$((i % 10))
          echo "2026/11/24 06:00:$(printf '%02d' $((s % 60))).${ms}00, 100.00 W, 87 %, 2048 MiB, 61"
          echo "2026/11/24 06:00:$(printf '%02d' $((s % 60))).${ms}00, 300.00 W, 87 %, 2048 MiB, 61"
          i=$((i+1))
          sleep 0.05
        done
        """);

    /// <summary>nvidia-smi's real message when the driver is not loaded (exit code 9).</summary>
    public static FakeNvidiaSmi DriverMissing() => new("""
        echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."
        exit 9
        """);

    public void Dispose() => _dir.Dispose();
}
