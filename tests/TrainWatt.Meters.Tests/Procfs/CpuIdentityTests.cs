using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Procfs;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Procfs;

/// <summary>
/// <see cref="CpuIdentity"/> on fake /proc and /sys trees, and <see cref="CpuTdpChoice"/> on the identities they give.
/// Oracle for the files: proc(5) (cpuinfo, self/status Cpus_allowed_list, self/cgroup), cgroups(7), the kernel's
/// cgroup-v2 documentation (cpu.max "$MAX $PERIOD") and cgroup-v1 CFS bandwidth (cpu.cfs_quota_us / cpu.cfs_period_us).
/// </summary>
public sealed class CpuIdentityTests : IDisposable
{
    private readonly TempDirectory _dir = new("trainwatt-cpuid");

    private string Proc => Path.Combine(_dir.Path, "proc");

    private string Sys => Path.Combine(_dir.Path, "sys");

    private CpuIdentityPaths Paths => new(Proc, Sys);

    private void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>cpuinfo blocks: one per (socket, core, thread), in the x86 format.</summary>
    private void CpuInfo(string model, int sockets, int coresPerSocket, int threadsPerCore, bool hypervisor)
    {
        var blocks = new List<string>();
        int n = 0;
        for (int s = 0; s < sockets; s++)
        {
            for (int t = 0; t < threadsPerCore; t++)
            {
                for (int c = 0; c < coresPerSocket; c++)
                {
                    blocks.Add($"processor\t: {n++}\nvendor_id\t: GenuineIntel\nmodel name\t: {model}\nphysical id\t: {s}\nsiblings\t: {coresPerSocket * threadsPerCore}\ncore id\t\t: {c}\ncpu cores\t: {coresPerSocket}\nflags\t\t: fpu vme{(hypervisor ? " hypervisor" : "")} avx2\n");
                }
            }
        }

        Write(Path.Combine(Proc, "cpuinfo"), string.Join("\n", blocks) + "\n");
    }

    [Fact]
    public void Reads_Two_Sockets_Of_Hyperthreaded_Cores_On_Bare_Metal()
    {
        CpuInfo("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", sockets: 2, coresPerSocket: 40, threadsPerCore: 2, hypervisor: false);
        Write(Path.Combine(Proc, "self", "status"), "Name:\tcat\nCpus_allowed:\tff\nCpus_allowed_list:\t0-159\n");
        var id = CpuIdentity.Read(Paths);
        Assert.Equal("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", id.ModelName);
        Assert.Equal((2, 80, 160), (id.Sockets, id.Cores, id.Threads));
        Assert.False(id.Hypervisor);
        Assert.Equal(160, id.AffinityCpus);
        Assert.Null(id.QuotaCpus);
        Assert.Equal(160, id.AvailableCpus);
        Assert.False(id.Limited);

        // Bare metal, all 160 CPUs: 80 cores × 6.75 W (270 W / 40 cores) = 540 W, both sockets' TDP.
        var choice = CpuTdpChoice.Choose(id, null);
        Assert.Equal(540, choice.Tdp.Watts, 9);
        Assert.Equal("Xeon Platinum 8380", choice.Spec?.Name);
        Assert.Null(choice.Warning);
    }

    [Fact]
    public void Sysfs_Topology_Wins_Over_Cpuinfo()
    {
        // cpuinfo without physical/core ids (as on ARM), sysfs with 1 package of 2 cores × 2 threads.
        Write(Path.Combine(Proc, "cpuinfo"), "processor\t: 0\n\nprocessor\t: 1\n\nprocessor\t: 2\n\nprocessor\t: 3\n");
        foreach (var (cpu, core) in new[] { (0, 0), (1, 1), (2, 0), (3, 1) })
        {
            Write(Path.Combine(Sys, "devices", "system", "cpu", $"cpu{cpu}", "topology", "physical_package_id"), "0\n");
            Write(Path.Combine(Sys, "devices", "system", "cpu", $"cpu{cpu}", "topology", "core_id"), $"{core}\n");
        }

        Directory.CreateDirectory(Path.Combine(Sys, "devices", "system", "cpu", "cpufreq"));
        var id = CpuIdentity.Read(Paths);
        Assert.Null(id.ModelName);
        Assert.Equal((1, 2, 4), (id.Sockets, id.Cores, id.Threads));
    }

    [Fact]
    public void A_Cgroup_V2_Quota_Limits_The_Available_Cpus_And_The_Tdp()
    {
        // A container on the 2 × 8380 host: cpu.max "150000 100000" on its own cgroup and "400000 100000" on the parent.
        CpuInfo("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", sockets: 2, coresPerSocket: 40, threadsPerCore: 2, hypervisor: false);
        Write(Path.Combine(Proc, "self", "cgroup"), "0::/kubepods/pod1/ctr\n");
        Write(Path.Combine(Sys, "fs", "cgroup", "kubepods", "pod1", "ctr", "cpu.max"), "150000 100000\n");
        Write(Path.Combine(Sys, "fs", "cgroup", "kubepods", "pod1", "cpu.max"), "400000 100000\n");
        Write(Path.Combine(Sys, "fs", "cgroup", "kubepods", "cpu.max"), "max 100000\n");
        var id = CpuIdentity.Read(Paths);
        Assert.Equal(1.5, id.QuotaCpus!.Value, 12); // the smallest along the path: 150000/100000
        Assert.Equal(1.5, id.AvailableCpus, 12);
        Assert.True(id.Limited);

        // 1.5 CPUs at 2 threads per core = 0.75 cores × 6.75 W = 5.0625 W, not the 540 W of both sockets.
        var choice = CpuTdpChoice.Choose(id, null);
        Assert.Equal(5.0625, choice.Tdp.Watts, 9);
        Assert.Equal(Provenance.Model, choice.Provenance);
    }

    [Fact]
    public void A_Cgroup_V1_Quota_And_The_Affinity_Are_Read()
    {
        CpuInfo("AMD EPYC 7742 64-Core Processor", sockets: 1, coresPerSocket: 64, threadsPerCore: 2, hypervisor: false);
        Write(Path.Combine(Proc, "self", "status"), "Cpus_allowed_list:\t0-3,64-67\n");
        Write(Path.Combine(Proc, "self", "cgroup"), "12:memory:/slurm/job1\n4:cpu,cpuacct:/slurm/job1\n0::/\n");
        Write(Path.Combine(Sys, "fs", "cgroup", "cpu,cpuacct", "slurm", "job1", "cpu.cfs_quota_us"), "1200000\n");
        Write(Path.Combine(Sys, "fs", "cgroup", "cpu,cpuacct", "slurm", "job1", "cpu.cfs_period_us"), "100000\n");
        Write(Path.Combine(Sys, "fs", "cgroup", "cpu,cpuacct", "slurm", "cpu.cfs_quota_us"), "-1\n");
        Write(Path.Combine(Sys, "fs", "cgroup", "cpu,cpuacct", "slurm", "cpu.cfs_period_us"), "100000\n");
        var id = CpuIdentity.Read(Paths);
        Assert.Equal(12, id.QuotaCpus!.Value, 12);
        Assert.Equal(8, id.AffinityCpus);
        Assert.Equal(8, id.AvailableCpus, 12); // affinity 8 < quota 12

        // 8 CPUs = 4 cores × (225 W / 64 cores = 3.515625 W) = 14.0625 W.
        Assert.Equal(14.0625, CpuTdpChoice.Choose(id, null).Tdp.Watts, 9);
    }

    [Fact]
    public void A_Vm_Slice_Is_Charged_Its_Threads_And_An_Unknown_One_Is_Warned_About()
    {
        // 2 vCPUs of a Xeon Platinum 8380 host: 270 W / 80 threads × 2 = 6.75 W.
        CpuInfo("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", sockets: 1, coresPerSocket: 1, threadsPerCore: 2, hypervisor: true);
        var id = CpuIdentity.Read(Paths);
        Assert.True(id.Hypervisor);
        var known = CpuTdpChoice.Choose(id, null);
        Assert.Equal(6.75, known.Tdp.Watts, 9);
        Assert.Contains("VM with 2 virtual CPUs", known.Source);
        Assert.Null(known.Warning);

        // The same slice of a CPU the table lacks ("AMD EPYC", as this project's VM reports): the default 85 W, with a warning.
        CpuInfo("AMD EPYC", sockets: 1, coresPerSocket: 2, threadsPerCore: 1, hypervisor: true);
        var unknown = CpuTdpChoice.Choose(CpuIdentity.Read(Paths), null);
        Assert.Equal(85, unknown.Tdp.Watts, 9);
        Assert.Contains("--cpu-tdp", unknown.Warning);
        Assert.Contains("VM slice of 2 CPUs", unknown.Warning);

        // --cpu-tdp still wins, and is user-given.
        var given = CpuTdpChoice.Choose(CpuIdentity.Read(Paths), Power.FromWatts(12));
        Assert.Equal((12.0, Provenance.UserGiven), (given.Tdp.Watts, given.Provenance));
        Assert.Null(given.Warning);
    }

    [Fact]
    public void Missing_Files_Give_What_Can_Be_Known()
    {
        Write(Path.Combine(Proc, "stat"), "cpu  1 2 3 4 0 0 0 0 0 0\ncpu0 1 1 1 1 0 0 0 0 0 0\ncpu1 1 1 1 1 0 0 0 0 0 0\ncpu2 1 1 1 1 0 0 0 0 0 0\n");
        var id = CpuIdentity.Read(Paths);
        Assert.Equal((null, 1, 3, 3), (id.ModelName, id.Sockets, id.Cores, id.Threads));
        Assert.Null(id.AffinityCpus);
        Assert.Null(id.QuotaCpus);
    }

    [Theory]
    [InlineData("0-3,8,10-11", 7)]
    [InlineData("0", 1)]
    [InlineData(" 0-159\n", 160)]
    [InlineData("3-1", null)]
    [InlineData("a-b", null)]
    [InlineData("", null)]
    public void Parses_Kernel_Cpu_Lists(string list, int? expected) => Assert.Equal(expected, CpuIdentity.ParseCpuList(list));

    [Theory]
    [InlineData("200000 100000", null, 2.0)]
    [InlineData("max 100000", null, null)]
    [InlineData("50000 100000\n", null, 0.5)]
    [InlineData("-1", "100000", null)]
    [InlineData("250000", "100000", 2.5)]
    public void Parses_Cgroup_Quotas(string quota, string? period, double? expected) => Assert.Equal(expected, CpuIdentity.ParseQuota(quota, period));

    public void Dispose() => _dir.Dispose();
}
