using System.Diagnostics;
using System.Globalization;
using TrainWatt.Storage;

/// <summary>Read throughput of run 1 of a store: samples enumerated, visited (no-op), and visited into energies.</summary>
internal static class ReadBench
{
    public static int Run(string path)
    {
        using var store = RunStoreFactory.Open(path, TimeProvider.System);
        var details = store.GetRun(1)!;
        long total = details.Energy.Sum(e => e.Samples);
        Time("GetRun (energies + phase cuts)", total, () => store.GetRun(1));
        Time("EnumerateSamples (whole run)", total, () =>
        {
            long n = 0;
            foreach (var s in store.EnumerateSamples(1))
            {
                n += s.DeviceId;
            }
        });
        Time("VisitSamples, no-op visitors", total, () => store.VisitSamples(1, [.. details.Devices.Select(d => (d.Id, (ISampleVisitor)new Count()))]));
        return 0;
    }

    private static void Time(string what, long samples, Action action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        clock.Stop();
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {clock.Elapsed.TotalSeconds:F2} s wall, {cpuSeconds:F2} s CPU, {samples / cpuSeconds / 1e6:F1} M readings per CPU second"));
    }

    private sealed class Count : ISampleVisitor
    {
        public long N { get; private set; }

        public void Visit(in SampleRecord sample) => N++;
    }
}
