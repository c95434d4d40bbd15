using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using Npgsql;
using TrainWatt.Storage.Postgres;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

using TrainWatt.Core.Projection;

namespace TrainWatt.Storage.Tests.Contract;

/// <summary>
/// The store contract: the same tests run on every backend (SQLite file, PostgreSQL database), so both keep the same
/// behaviour. Oracles are hand derivations in each test (inherited from the SQLite store's tests).
/// </summary>
public abstract class RunStoreContractTests : IDisposable
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);
    protected readonly TempDirectory _temp = new();
    protected readonly FakeTimeProvider _time = new(T0);
    private readonly FakeLiveness _liveness = new();

    public virtual void Dispose() => _temp.Dispose();

    /// <summary>Opens a new instance (a new connection) on this test's store.</summary>
    protected abstract IRunStore Open(TimeProvider time, IProcessLiveness liveness);

    /// <summary>Rows in a table of this test's store, read through the engine directly.</summary>
    protected abstract long CountRows(string table);

    private IRunStore Open() => Open(_time, _liveness);

    [Fact]
    public void Should_Start_A_Run_With_Its_Devices_All_Or_Nothing()
    {
        using var store = Open();

        // When: a start whose second device cannot be registered (the same key twice: UNIQUE (run_id, key)), then a good one
        Assert.ThrowsAny<Exception>(() => store.StartRun(new NewRun("measure", T0),
            [new DeviceRegistration("gpu:0", "gpu", "A", Provenance.Counter), new DeviceRegistration("gpu:0", "gpu", "B", Provenance.Counter)]));
        var (run, devices) = store.StartRun(new NewRun("measure", T0.AddMinutes(1)),
            [new DeviceRegistration("gpu:0", "gpu", "A", Provenance.Counter), new DeviceRegistration("ram", "ram", "RAM", Provenance.Model)]);

        // Then: no ghost run (issue 13, disk full): only the good run, with its two devices in the order given
        Assert.Equal(run, Assert.Single(store.ListRuns()).Id);
        Assert.Equal(["gpu:0", "ram"], devices.Select(id => store.GetRun(run)!.Devices.Single(d => d.Id == id).Key));
        Assert.Equal(1, CountRows("runs"));
        Assert.Equal(2, CountRows("devices"));
    }

    [Fact]
    public void Should_Round_Trip_A_Live_Run_With_Devices_Samples_Epochs_And_Annotations()
    {
        // Given
        using var store = Open();
        long run = store.CreateRun(new NewRun("measure", T0, Command: "python train.py", Tags: new Dictionary<string, string> { ["team"] = "vision" }, JobId: "job-7", Metadata: """{"model":"resnet50"}"""));
        long gpu = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "NVIDIA H100", Provenance.Counter, "GPU-abc", "NVML total energy counter"));
        long ram = store.RegisterDevice(run, new DeviceRegistration("ram", "ram", "RAM", Provenance.Model, Note: "0.375 W/GB"));
        var gpuSamples = new[]
        {
            new SampleRecord(gpu, T0, Power.FromWatts(100), Energy.FromJoules(0), 50, 1024, 40, Provenance.Counter),
            new SampleRecord(gpu, T0.AddSeconds(1), Power.FromWatts(300), Energy.FromJoules(210.5), null, null, null, Provenance.Counter),
        };
        var ramSamples = new[] { new SampleRecord(ram, T0.AddMilliseconds(500.25), Power.FromWatts(6), null, null, 16384, null, Provenance.Model, 12) };

        // When
        store.AppendSamples(run, gpuSamples);
        store.AppendSamples(run, ramSamples);
        store.AddEpoch(run, new EpochRecord(1, T0, T0.AddSeconds(1), Energy.FromJoules(210.5), Provenance.Counter, 23807));
        store.AddAnnotation(run, new AnnotationRecord("gap", "no sample for 3 s", "trace.csv", 17, gpu));
        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(2), exitCode: 3);

        // Then
        var details = store.GetRun(run)!;
        Assert.Equal(RunStatus.Completed, details.Run.Status);
        Assert.Equal(3, details.Run.ExitCode);
        Assert.Equal("python train.py", details.Run.Command);
        Assert.Equal("vision", details.Run.Tags["team"]);
        Assert.Equal("job-7", details.Run.JobId);
        Assert.Equal("""{"model":"resnet50"}""", details.Run.Metadata);
        Assert.Equal(T0, details.Run.Started);
        Assert.Equal(T0.AddSeconds(2), details.Run.Ended);
        Assert.Equal(3, details.Run.SampleCount);
        Assert.Equal(2, details.Devices.Count);
        Assert.Equal(new StoredDevice(gpu, run, "gpu:0", "gpu", "NVIDIA H100", Provenance.Counter, "GPU-abc", "NVML total energy counter"), details.Devices[0]);
        Assert.Equal(new EpochRecord(1, T0, T0.AddSeconds(1), Energy.FromJoules(210.5), Provenance.Counter, 23807), Assert.Single(details.Epochs));
        Assert.Equal(new AnnotationRecord("gap", "no sample for 3 s", "trace.csv", 17, gpu), Assert.Single(details.Annotations));
        Assert.Equal(gpuSamples, store.ReadSamples(run, gpu));
        Assert.Equal(gpuSamples.Concat(ramSamples), store.ReadSamples(run));
    }

    [Fact]
    public void Should_Store_Every_Provenance_In_The_Column_Spelling_And_Read_It_Back()
    {
        // Given: one device, one sample and one epoch per provenance.
        using var store = Open();
        long run = store.CreateRun(new NewRun("measure", T0));
        var all = Enum.GetValues<Provenance>();
        var devices = all.Select((p, i) => store.RegisterDevice(run, new DeviceRegistration($"gpu:{i}", "gpu", null, p))).ToArray();

        // When
        store.AppendSamples(run, all.Select((p, i) => new SampleRecord(devices[i], T0, Power.FromWatts(100), null, null, null, null, p)).ToList());
        for (int i = 0; i < all.Length; i++)
        {
            store.AddEpoch(run, new EpochRecord(i + 1, T0.AddSeconds(i), T0.AddSeconds(i + 1), Energy.FromJoules(1), all[i]));
        }

        // Then: every value reads back as written; the columns hold the schema's spelling (CHECK constraint:
        // counter, sampled, model, user_given), never the output spelling user-given.
        var details = store.GetRun(run)!;
        Assert.Equal(all, details.Devices.Select(d => d.Provenance));
        Assert.Equal(all, details.Epochs.Select(e => e.Provenance));
        Assert.Equal(all, store.ReadSamples(run).Select(s => s.Provenance));
        // (samples keep theirs in their chunk's encoding: read back above)
        foreach (string table in new[] { "devices", "epochs" })
        {
            Assert.Equal(1, CountRows($"{table} WHERE provenance = 'user_given'"));
            Assert.Equal(0, CountRows($"{table} WHERE provenance = 'user-given'"));
        }
    }

    [Fact]
    public void Should_Compute_Device_Energy_From_The_Counter_Or_The_Trapezoid_With_Provenance()
    {
        using var store = Open();
        long run = store.CreateRun(new NewRun("measure", T0));
        long counter = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", null, Provenance.Counter));
        long sampled = store.RegisterDevice(run, new DeviceRegistration("gpu:1", "gpu", null, Provenance.Sampled));
        store.AppendSamples(run,
        [
            new SampleRecord(counter, T0, Power.FromWatts(1), Energy.FromJoules(1000), null, null, null, Provenance.Counter),
            new SampleRecord(counter, T0.AddSeconds(10), Power.FromWatts(1), Energy.FromJoules(3500), null, null, null, Provenance.Counter),
            new SampleRecord(sampled, T0, Power.FromWatts(100), null, null, null, null, Provenance.Sampled),
            new SampleRecord(sampled, T0.AddSeconds(1), Power.FromWatts(200), null, null, null, null, Provenance.Sampled),
            new SampleRecord(sampled, T0.AddSeconds(2), null, null, 5, null, null, Provenance.Sampled),
            new SampleRecord(sampled, T0.AddSeconds(4), Power.FromWatts(100), null, null, null, null, Provenance.Sampled),
        ]);

        var energy = store.GetRun(run)!.Energy;

        // Hand derivation: counter 3500 - 1000 = 2500 J.
        Assert.Equal(Energy.FromJoules(2500), energy[0].Energy);
        Assert.Equal(Provenance.Counter, energy[0].Provenance);
        // Trapezoid over samples with power: (100+200)/2*1 + (200+100)/2*3 = 150 + 450 = 600 J; the power-less row is skipped, not read as 0 W.
        Assert.Equal(600.0, energy[1].Energy!.Value.Joules, 9);
        Assert.Equal(Provenance.Sampled, energy[1].Provenance);
        Assert.Equal(TimeSpan.FromSeconds(2), energy[1].MaxGap);
        Assert.Equal(Power.FromWatts(200), energy[1].MaxPower);
        Assert.Equal(4, energy[1].Samples);
    }

    [Fact]
    public void Should_Leave_Gaps_Longer_Than_Five_Seconds_Out_Of_Sampled_Energy_As_Core_Accounting_Does()
    {
        using var store = Open();
        long run = store.CreateRun(new NewRun("measure", T0));
        long device = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled));
        store.AppendSamples(run,
        [
            new SampleRecord(device, T0, Power.FromWatts(100), null, null, null, null, Provenance.Sampled),
            new SampleRecord(device, T0.AddSeconds(1), Power.FromWatts(100), null, null, null, null, Provenance.Sampled),
            new SampleRecord(device, T0.AddSeconds(10), Power.FromWatts(100), null, null, null, null, Provenance.Sampled),
        ]);

        var energy = Assert.Single(store.GetRun(run)!.Energy);

        // Hand derivation: only the 1 s interval is integrated (100 J); the 9 s interval exceeds Core's 5 s gap threshold.
        Assert.Equal(100.0, energy.Energy!.Value.Joules, 9);
        Assert.Equal(TimeSpan.FromSeconds(9), energy.ExcludedDuration);
        Assert.Equal(TimeSpan.FromSeconds(9), energy.MaxGap);
    }

    [Fact]
    public void Should_Append_Many_Batches_In_Order()
    {
        using var store = Open();
        long run = store.CreateRun(new NewRun("measure", T0));
        long device = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled));

        for (int batch = 0; batch < 20; batch++)
        {
            var samples = Enumerable.Range(0, 500)
                .Select(i => new SampleRecord(device, T0.AddMilliseconds(100.0 * (batch * 500 + i)), Power.FromWatts(batch * 500 + i), null, null, null, null, Provenance.Sampled))
                .ToList();
            store.AppendSamples(run, samples);
        }

        var read = store.ReadSamples(run);
        Assert.Equal(10_000, read.Count);
        // Oracle: sample k was written with power k W at T0 + 100 k ms.
        Assert.All(read.Select((s, k) => (s, k)), x =>
        {
            Assert.Equal(x.k, x.s.Power!.Value.Watts);
            Assert.Equal(T0.AddMilliseconds(100.0 * x.k), x.s.Timestamp);
        });
    }

    [Fact]
    public void Should_Keep_Every_Sample_When_Several_Writers_Append_At_Once()
    {
        // Given: four store instances (as four measure processes would have) on one file, each with its own run.
        using (Open())
        {
        }

        // When: each appends 20 batches of 100 samples concurrently.
        var runIds = new long[4];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w =>
        {
            using var store = Open();
            long run = store.CreateRun(new NewRun("measure", T0, Tags: new Dictionary<string, string> { ["writer"] = w.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            long device = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled));
            for (int batch = 0; batch < 20; batch++)
            {
                store.AppendSamples(run, Enumerable.Range(0, 100)
                    .Select(i => new SampleRecord(device, T0.AddSeconds((batch * 100) + i), Power.FromWatts(w), null, null, null, null, Provenance.Sampled))
                    .ToList());
            }

            store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(2000), 0);
            runIds[w] = run;
        });

        // Then: 4 runs of 2000 samples each, each holding only its own writer's samples.
        using var reader = Open();
        Assert.Equal(4, reader.ListRuns().Count);
        for (int w = 0; w < 4; w++)
        {
            var details = reader.GetRun(runIds[w])!;
            Assert.Equal(2000, details.Run.SampleCount);
            Assert.All(reader.ReadSamples(runIds[w]), s => Assert.Equal(w, s.Power!.Value.Watts));
        }

    }

    [Fact]
    public void Should_Read_A_Running_Run_As_Incomplete_When_Its_Process_Is_Gone()
    {
        using var store = Open();
        long run = store.CreateRun(new NewRun("measure", T0));

        _liveness.Alive = true;
        Assert.Equal(RunStatus.Running, store.GetRun(run)!.Run.Status);

        _liveness.Alive = false;
        var record = store.GetRun(run)!.Run;
        Assert.Equal(RunStatus.Incomplete, record.Status);
        Assert.Equal(RunStatus.Running, record.StoredStatus);
        Assert.True(record.IsAbandoned);
    }

    [Fact]
    public void Should_Read_A_Running_Run_Of_Unknown_Liveness_As_Incomplete_Once_Its_Heartbeat_Is_Stale()
    {
        using var store = Open();
        _liveness.Alive = null; // written on another host
        long run = store.CreateRun(new NewRun("measure", T0));
        long device = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled));

        _time.Advance(TimeSpan.FromMinutes(9));
        store.AppendSamples(run, [new SampleRecord(device, T0, Power.FromWatts(1), null, null, null, null, Provenance.Sampled)]);
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(RunStatus.Running, store.GetRun(run)!.Run.Status); // heartbeat 9 min old < 10 min

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(RunStatus.Incomplete, store.GetRun(run)!.Run.Status); // 11 min > StaleAfter (10 min)
    }

    [Fact]
    public void Should_Not_Reinterpret_A_Finished_Run()
    {
        using var store = Open();
        _liveness.Alive = false;
        long run = store.CreateRun(new NewRun("measure", T0));
        store.FinishRun(run, RunStatus.Failed, T0.AddSeconds(1), exitCode: 70);

        Assert.Equal(RunStatus.Failed, store.GetRun(run)!.Run.Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.FinishRun(run, RunStatus.Running, T0));
    }

    [Fact]
    public void Should_Write_A_Whole_Run_Atomically_Or_Not_At_All()
    {
        using var store = Open();
        var device = new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled);
        var sample = new SampleRecord(0, T0, Power.FromWatts(50), null, null, null, null, Provenance.Sampled);

        // Two devices with the same key violate UNIQUE (run_id, key) after the first device and its samples were written.
        Assert.ThrowsAny<Exception>(() => store.WriteRun(
            new NewRun("import:test", T0, SourceKey: "k1", Status: RunStatus.Completed),
            T0.AddSeconds(1),
            [new DeviceData(device, [sample]), new DeviceData(device, [sample])],
            []));

        Assert.Empty(store.ListRuns());
        Assert.Null(store.FindBySourceKey("k1"));

        long id = store.WriteRun(new NewRun("import:test", T0, SourceKey: "k1", Status: RunStatus.Incomplete), T0.AddSeconds(1), [new DeviceData(device, [sample])], [new AnnotationRecord("lost_tail", "ends early")]);
        Assert.Equal(id, store.FindBySourceKey("k1"));
        var details = store.GetRun(id)!;
        Assert.Equal(RunStatus.Incomplete, details.Run.Status);
        Assert.Equal(1, details.Run.SampleCount);
        Assert.Equal("lost_tail", Assert.Single(details.Annotations).Kind);
    }

    [Fact]
    public void Should_Reject_A_Second_Run_From_The_Same_Source_Key_And_Delete_Runs_With_Everything_Attached()
    {
        using var store = Open();
        var device = new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled);
        var sample = new SampleRecord(0, T0, Power.FromWatts(50), null, null, null, null, Provenance.Sampled);
        long id = store.WriteRun(new NewRun("import:test", T0, SourceKey: "same", Status: RunStatus.Completed), null, [new DeviceData(device, [sample])], [new AnnotationRecord("note", "x")]);

        var error = Assert.Throws<InvalidOperationException>(() => store.WriteRun(new NewRun("import:test", T0, SourceKey: "same", Status: RunStatus.Completed), null, [], []));
        Assert.Contains("'same' is already stored", error.Message);

        Assert.True(store.DeleteRun(id));
        Assert.False(store.DeleteRun(id));
        Assert.Empty(store.ListRuns());
        Assert.Equal(0, CountRows("sample_chunks"));
        Assert.Equal(0, CountRows("annotations"));
        Assert.Equal(0, CountRows("devices"));
    }

    [Fact]
    public void Should_Complete_A_Run_Written_In_Batches_Replacing_The_Old_One_In_One_Step()
    {
        // Given: an earlier import of "key" (completed), and a new import of the same input written piece by piece
        using var store = Open();
        var gpu = new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled);
        var sample = new SampleRecord(0, T0, Power.FromWatts(50), null, null, null, null, Provenance.Sampled);
        long old = store.WriteRun(new NewRun("import:test", T0, SourceKey: "key", Status: RunStatus.Completed), T0, [new DeviceData(gpu, [sample])], []);
        var (run, ids) = store.StartRun(new NewRun("import:test", T0.AddHours(1), Metadata: """{"v":1}"""), [gpu]);
        long process = store.RegisterDevice(run, new DeviceRegistration("process", "process", null, Provenance.Sampled));
        for (int batch = 0; batch < 3; batch++)
        {
            store.AppendSamples(run, [.. Enumerable.Range(0, 2).Select(k => sample with { DeviceId = ids[0], Timestamp = T0.AddSeconds((batch * 2) + k) })]);
        }

        store.AppendSamples(run, [sample with { DeviceId = process, Power = null }]);

        // Then: until completed it reads as running, holds no source key, and the old run is the one under "key"
        Assert.Equal(RunStatus.Running, store.GetRun(run)!.Run.Status);
        Assert.Null(store.GetRun(run)!.Run.SourceKey);
        Assert.Equal(old, store.FindBySourceKey("key"));

        // When
        store.CompleteRun(run, new RunCompletion(RunStatus.Completed, T0, T0.AddSeconds(5))
        {
            SourceKey = "key",
            Replaces = old,
            Metadata = """{"v":2}""",
            Annotations = [new AnnotationRecord("gap", "a gap", "f.csv", 3)],
            DeviceNames = new Dictionary<long, string> { [ids[0]] = "NVIDIA A100" },
            DroppedDevices = [process],
        });

        // Then: one transaction did it all: the old run is gone, the new one holds the key, the new times, metadata,
        // annotation and device name; the dropped device and its sample are gone; its 6 GPU samples are all there
        var details = store.GetRun(run)!;
        Assert.Equal((RunStatus.Completed, "key", T0, (DateTimeOffset?)T0.AddSeconds(5), """{"v":2}"""),
            (details.Run.Status, details.Run.SourceKey, details.Run.Started, details.Run.Ended, details.Run.Metadata));
        Assert.Equal(6, details.Run.SampleCount);
        Assert.Equal("NVIDIA A100", Assert.Single(details.Devices).Name);
        Assert.Equal(("gap", 3), (Assert.Single(details.Annotations).Kind, Assert.Single(details.Annotations).Line));
        Assert.Null(store.GetRun(old));
        Assert.Equal(run, store.FindBySourceKey("key"));
        Assert.Equal(6, store.ReadSamples(run).Count);
        Assert.Equal(1, CountRows("sample_chunks")); // the three batches of gpu:0 extended one chunk; the old run's and the dropped device's are gone
    }

    [Fact]
    public void Should_Refuse_To_Complete_A_Run_Under_A_Source_Key_Another_Run_Holds_And_Change_Nothing()
    {
        using var store = Open();
        var gpu = new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled);
        long other = store.WriteRun(new NewRun("import:test", T0, SourceKey: "key", Status: RunStatus.Completed), T0, [], []);
        var (run, _) = store.StartRun(new NewRun("import:test", T0), [gpu]);

        var error = Assert.Throws<InvalidOperationException>(() => store.CompleteRun(run, new RunCompletion(RunStatus.Completed, T0, T0.AddSeconds(1))
        {
            SourceKey = "key",
            Annotations = [new AnnotationRecord("gap", "a gap")],
        }));

        Assert.Contains("'key' is already stored", error.Message);
        Assert.Equal(other, store.FindBySourceKey("key"));
        Assert.Equal(RunStatus.Running, store.GetRun(run)!.Run.Status);
        Assert.Equal(0, CountRows("annotations"));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.CompleteRun(run, new RunCompletion(RunStatus.Running, T0, T0)));
    }

    [Fact]
    public void Should_Refuse_Samples_Of_An_Unregistered_Device()
    {
        using var store = Open();
        long run = store.CreateRun(new NewRun("measure", T0));

        var error = Assert.Throws<InvalidOperationException>(() =>
            store.AppendSamples(run, [new SampleRecord(999, T0, Power.FromWatts(1), null, null, null, null, Provenance.Sampled)]));

        Assert.Contains("unknown device id 999", error.Message);
        Assert.Equal(0, store.GetRun(run)!.Run.SampleCount);
    }

    [Fact]
    public void Should_Keep_Microsecond_Times_Exactly()
    {
        using var store = Open();
        // A SEAA process-trace time stamp: 2022-12-05T09:55:44.557223 (microseconds).
        var time = new DateTimeOffset(2022, 12, 5, 9, 55, 44, TimeSpan.Zero).AddTicks(5_572_230);
        long run = store.CreateRun(new NewRun("measure", time));
        long device = store.RegisterDevice(run, new DeviceRegistration("process", "process", null, Provenance.Sampled));
        store.AppendSamples(run, [new SampleRecord(device, time, null, null, 3.5, 12231.543, 32, Provenance.Sampled)]);

        Assert.Equal(time, store.GetRun(run)!.Run.Started);
        Assert.Equal(time, Assert.Single(store.ReadSamples(run)).Timestamp);
    }

    [Fact]
    public void Should_Keep_The_Projection_History_In_Order_Per_Run_And_Delete_It_With_The_Run()
    {
        // Given: two runs; run A gets three projections (one with unknowns as nulls), run B one
        using var store = Open();
        long a = store.CreateRun(new NewRun("measure", T0));
        long b = store.CreateRun(new NewRun("measure", T0));
        var p12 = new ProjectionEntry(12, Energy.FromJoules(1_234_567.5), Energy.FromJoules(1_180_000), Energy.FromJoules(1_290_000.25), 0.9, "step", 7, 40, 60, T0.AddTicks(120_000_010)); // 12.000001 s: the store keeps microseconds
        var p13 = new ProjectionEntry(13, Energy.FromJoules(1_230_000), Energy.FromJoules(1_200_000), Energy.FromJoules(1_260_000), 0.9, "step", 7, 40, 40, T0.AddSeconds(13));
        var p11 = new ProjectionEntry(11, Energy.FromJoules(99), Energy.FromJoules(98), Energy.FromJoules(100), 0.95, "step-power", null, null, null, T0.AddSeconds(14));

        // When: written as they happen (the order made, not the epoch order: p11 comes last on purpose)
        store.AddProjection(a, p12);
        store.AddProjection(b, p13);
        store.AddProjection(a, p13);
        store.AddProjection(a, p11);

        // Then: read back exactly (values as written; times to the microsecond), in the order written, per run
        Assert.Equal([p12, p13, p11], store.GetProjections(a));
        Assert.Equal([p13], store.GetProjections(b));
        Assert.Empty(store.GetProjections(a + b + 100));
        using (var other = Open())
        {
            Assert.Equal([p12, p13, p11], other.GetProjections(a)); // durable: visible to another connection
        }

        Assert.True(store.DeleteRun(a));
        Assert.Empty(store.GetProjections(a));
        Assert.Equal(1, CountRows("projections"));
    }

    [Fact]
    public void Should_Refuse_A_Projection_For_A_Run_That_Does_Not_Exist()
    {
        using var store = Open();
        var p = new ProjectionEntry(12, Energy.FromJoules(1), Energy.FromJoules(1), Energy.FromJoules(1), 0.9, "step", 1, 12, 12, T0);

        // The foreign key (projections.run_id REFERENCES runs) refuses it: an exception, never a silent orphan row.
        Assert.ThrowsAny<Exception>(() => store.AddProjection(4242, p));
        Assert.Equal(0, CountRows("projections"));
    }

    [Fact]
    public void Should_Stream_The_Same_Samples_As_It_Lists()
    {
        using var store = Open();
        long run = store.CreateRun(new NewRun("measure", T0));
        long a = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled));
        long b = store.RegisterDevice(run, new DeviceRegistration("gpu:1", "gpu", null, Provenance.Sampled));
        store.AppendSamples(run, Enumerable.Range(0, 50)
            .Select(i => new SampleRecord(i % 2 == 0 ? a : b, T0.AddSeconds(i), Power.FromWatts(i), null, null, null, null, Provenance.Sampled)).ToList());

        // Oracle: ReadSamples (checked against hand-written samples above) — the stream must be identical, per device too.
        Assert.Equal(store.ReadSamples(run), store.EnumerateSamples(run).ToList());
        Assert.Equal(store.ReadSamples(run, b), store.EnumerateSamples(run, b).ToList());
        Assert.Equal(25, store.EnumerateSamples(run, a).Count());
    }

    [Fact]
    public void Should_Read_Samples_Written_Out_Of_Order_By_Device_Then_Time_Then_Write_Order_Across_Chunks()
    {
        // Given: two devices; 12 batches that interleave the devices, are unordered inside, repeat times, one going back
        // in time (batch 7), 10,800 samples: several chunks per device, some overlapping
        using var store = Open();
        long run = store.CreateRun(new NewRun("import", T0));
        long a = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled));
        long b = store.RegisterDevice(run, new DeviceRegistration("gpu:1", "gpu", null, Provenance.Counter));
        var written = new List<SampleRecord>();
        var random = new Random(3);
        int tag = 0;
        using var other = Open();
        for (int batch = 0; batch < 12; batch++)
        {
            int from = batch == 7 ? 1000 : batch * 1000;
            var rows = Enumerable.Range(0, 900).Select(i => new SampleRecord(
                i % 3 == 0 ? b : a, T0.AddMilliseconds(from + random.Next(0, 1500)), Power.FromWatts(tag++),
                i % 3 == 0 ? Energy.FromJoules(tag / 7.0) : null, i % 5, null, null, i % 3 == 0 ? Provenance.Counter : Provenance.Sampled, i)).ToList();
            store.AppendSamples(run, rows);
            written.AddRange(rows);

            // each batch is readable by another connection as soon as it is committed
            Assert.Equal(written.Count, other.GetRun(run)!.Run.SampleCount);
        }

        // Then: oracle: schema 3's ORDER BY device_id, t, rowid, i.e. a stable sort of the samples as written
        var expected = written.OrderBy(s => s.DeviceId).ThenBy(s => s.Timestamp).ToList();
        Assert.Equal(expected, store.ReadSamples(run));
        Assert.Equal(expected.Where(s => s.DeviceId == b), store.EnumerateSamples(run, b));
        var from5s = T0.AddSeconds(5);
        Assert.Equal(written.Count(s => s.DeviceId == a && s.Timestamp >= from5s), store.CountWritten(run, new WriteProbe.SamplesFrom(a, from5s)));
        Assert.True(CountRows("sample_chunks") > 4, "several chunks");
    }

    [Fact]
    public void Should_Keep_The_Samples_Of_Committed_Batches_After_A_Batch_That_Failed()
    {
        // Given: a device with one stored batch
        using var store = Open();
        long run = store.CreateRun(new NewRun("measure", T0));
        long device = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", null, Provenance.Sampled));
        SampleRecord S(long id, int second) => new(id, T0.AddSeconds(second), Power.FromWatts(second), null, null, null, null, Provenance.Sampled);
        store.AppendSamples(run, [S(device, 0), S(device, 1)]);

        // When: a batch that also names an unknown device fails (nothing of it is stored), then the next one succeeds
        Assert.Throws<InvalidOperationException>(() => store.AppendSamples(run, [S(device, 2), S(4242, 2)]));
        store.AppendSamples(run, [S(device, 3)]);

        // Then: the first and the third batch, once each
        Assert.Equal([0.0, 1, 3], store.ReadSamples(run).Select(s => s.Power!.Value.Watts));
        Assert.Equal(3, store.GetRun(run)!.Run.SampleCount);
    }

    private sealed class FakeLiveness : IProcessLiveness
    {
        public bool? Alive { get; set; } = true;

        public bool? IsAlive(string host, int processId) => Alive;
    }
}

public sealed class SqliteContractTests : RunStoreContractTests
{
    protected override IRunStore Open(TimeProvider time, IProcessLiveness liveness)
        => SqliteRunStore.Open(_temp.File("store.db"), new SqliteStoreOptions { Time = time, Liveness = liveness });

    protected override long CountRows(string table) => long.Parse(Sqlite.SchemaMigratorTests.Query(_temp.File("store.db"), $"SELECT COUNT(*) FROM {table}").Single(), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The contract on a real PostgreSQL server (one fresh database per test; see <see cref="PostgresServer"/>).</summary>
public sealed class PostgresContractTests(PostgresServer server) : RunStoreContractTests
{
    private readonly string _url = server.CreateDatabase();

    protected override IRunStore Open(TimeProvider time, IProcessLiveness liveness)
        => PostgresRunStore.Open(_url, new PostgresStoreOptions { Time = time, Liveness = liveness });

    protected override long CountRows(string table)
    {
        using var connection = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(_url));
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table}", connection);
        return (long)command.ExecuteScalar()!;
    }
}
