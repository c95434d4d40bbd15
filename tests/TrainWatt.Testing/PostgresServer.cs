using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace TrainWatt.Testing;

/// <summary>
/// A throw-away PostgreSQL server for the tests: <c>initdb</c> into a temp folder, <c>pg_ctl start</c> on a free
/// loopback port (listen_addresses=127.0.0.1, Unix socket in the temp folder, trust authentication, fsync off), one
/// fresh database per <see cref="CreateDatabase"/>; stopped and removed on dispose. Register it with
/// <c>[assembly: AssemblyFixture(typeof(PostgresServer))]</c> and take it in a test class constructor.
/// </summary>
/// <remarks>
/// Binaries: <c>PATH</c>, else /usr/local/bin, else /usr/lib/postgresql/*/bin (the newest). initdb refuses to run as
/// root, so as root the server runs as the <c>postgres</c> user (runuser). When no binaries are found,
/// <see cref="Require"/> skips the test with the reason (.ci/run installs them with apt on a fresh machine).
/// </remarks>
public sealed class PostgresServer : IDisposable
{
    private readonly Lock _startLock = new();
    private TempDirectory? _directory;
    private string? _binaries;
    private string? _runAs;
    private string? _dataDirectory;
    private int _databases;
    private bool _startAttempted;
    private string? _serverOptions;

    /// <summary>
    /// Starts the server on first use (<see cref="Require"/>, <see cref="CreateDatabase"/>), not when the fixture is
    /// created: a test run that needs no PostgreSQL pays nothing, and initdb's CPU burst does not land on the
    /// timing-sensitive tests that run first.
    /// </summary>
    private void EnsureStarted()
    {
        lock (_startLock)
        {
            if (!_startAttempted)
            {
                _startAttempted = true;
                StartServer();
            }
        }
    }

    private void StartServer()
    {
        try
        {
            _binaries = FindBinaries();
            if (_binaries is null)
            {
                SkipReason = "No PostgreSQL server binaries (initdb, pg_ctl) on PATH, in /usr/local/bin or /usr/lib/postgresql/*/bin: install them (apt-get install postgresql; .ci/run does it).";
                return;
            }

            _runAs = IsRoot() ? "postgres" : null;
            if (_runAs is not null && Run("id", ["-u", _runAs]).Code != 0)
            {
                SkipReason = "Running as root and no 'postgres' user exists; initdb refuses root. Create the user (useradd postgres) or run the tests as another user.";
                return;
            }

            _directory = new TempDirectory("trainwatt-pg");
            _dataDirectory = _directory.File("data");
            string socket = _directory.File("sock");
            Directory.CreateDirectory(socket);
            if (_runAs is not null)
            {
                Check(Run("chown", ["-R", _runAs, _directory.Path]), "chown");
            }

            Check(Exec("initdb", ["-D", _dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"]), "initdb");

            // The free port is released before the server binds it: another process (the other test assemblies' servers
            // and HTTP stand-ins, any outgoing connection) can take it in between. The server then fails to start, which
            // would skip every PostgreSQL test of the run; try again on a fresh port instead.
            (int Code, string Output) started = default;
            for (int attempt = 1; attempt <= 5; attempt++)
            {
                Port = FreePort();
                string options = string.Create(CultureInfo.InvariantCulture,
                    $"-c listen_addresses=127.0.0.1 -p {Port} -k {socket} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
                _serverOptions = options;
                started = Exec("pg_ctl", ["-D", _dataDirectory, "-l", _directory.File("server.log"), "-o", options, "-w", "-t", "60", "start"]);
                if (started.Code == 0 || !ServerLog().Contains("could not bind", StringComparison.Ordinal))
                {
                    break;
                }
            }

            Check(started, "pg_ctl start");
            Started = true;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            SkipReason = $"The PostgreSQL test server could not be started: {e.Message}";
        }
    }

    /// <summary>
    /// Stops the server (fast shutdown: open connections are cut, as when the shared server restarts), keeping its data
    /// folder and port for <see cref="Start"/>. Only for a test's own instance (<c>new PostgresServer()</c>), never the
    /// assembly fixture that other tests use at the same time.
    /// </summary>
    public void Stop()
    {
        Require();
        Check(Exec("pg_ctl", ["-D", _dataDirectory!, "-m", "fast", "-w", "-t", "60", "stop"]), "pg_ctl stop");
    }

    /// <summary>Starts the server stopped by <see cref="Stop"/> again, on the same port with the same data.</summary>
    public void Start()
    {
        Require();
        Check(Exec("pg_ctl", ["-D", _dataDirectory!, "-l", _directory!.File("server.log"), "-o", _serverOptions!, "-w", "-t", "60", "start"]), "pg_ctl start");
    }

    private string ServerLog()
    {
        string log = _directory!.File("server.log");
        try
        {
            return File.Exists(log) ? File.ReadAllText(log) : "";
        }
        catch (UnauthorizedAccessException)
        {
            return Run("cat", [log]).Output; // written by the postgres user when running as root
        }
    }

    /// <summary>Why the tests needing the server skip; null when it runs.</summary>
    public string? SkipReason { get; private set; }

    public bool Started { get; private set; }

    public int Port { get; private set; }

    /// <summary>Starts the server if needed; skips the calling test when it cannot run.</summary>
    public void Require()
    {
        EnsureStarted();
        Assert.SkipWhen(!Started, SkipReason ?? "PostgreSQL test server not started.");
    }

    /// <summary>Creates a new empty database and returns its URL (<c>postgres://postgres@127.0.0.1:PORT/NAME</c>).</summary>
    public string CreateDatabase(string prefix = "tw")
    {
        Require();
        string name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}")[..40].ToLowerInvariant();
        using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            command.ExecuteNonQuery();
        }

        return string.Create(CultureInfo.InvariantCulture, $"postgres://postgres@127.0.0.1:{Port}/{name}");
    }

    /// <summary>An Npgsql connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database)
        => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false");

    public void Dispose()
    {
        if (Started && _dataDirectory is not null)
        {
            Exec("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"]);
        }

        _directory?.Dispose();
    }

    private (int Code, string Output) Exec(string tool, IReadOnlyList<string> args)
    {
        string path = Path.Combine(_binaries!, tool);
        return _runAs is null ? Run(path, args) : Run("runuser", ["-u", _runAs, "--", path, .. args]);
    }

    private static void Check((int Code, string Output) result, string what)
    {
        if (result.Code != 0)
        {
            throw new InvalidOperationException($"{what} exited with {result.Code}: {result.Output}");
        }
    }

    private static (int Code, string Output) Run(string file, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && Run("id", ["-u"]).Output.Trim() == "0";

    private static string? FindBinaries()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return null;
        }

        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        candidates.Add("/usr/local/bin");
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
