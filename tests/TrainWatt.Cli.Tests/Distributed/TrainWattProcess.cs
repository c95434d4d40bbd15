using System.Diagnostics;
using System.Text;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>Runs the built <c>trainwatt</c> CLI as a real process (dotnet trainwatt.dll) with extra environment variables.</summary>
internal sealed class TrainWattProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _stdout = new();
    private readonly TaskCompletionSource _stderrDone = new();
    private readonly TaskCompletionSource _stdoutDone = new();

    private TrainWattProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Lines of stderr as they arrive (the measure status lines, e.g. "trainwatt: metrics at ...").</summary>
    public event Action<string>? StderrLine;

    public static TrainWattProcess Start(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trainwatt.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var wrapper = new TrainWattProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                wrapper._stderrDone.TrySetResult();
                return;
            }

            lock (wrapper._stderr)
            {
                wrapper._stderr.Append(e.Data).Append('\n');
            }

            wrapper.StderrLine?.Invoke(e.Data);
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                wrapper._stdoutDone.TrySetResult();
                return;
            }

            lock (wrapper._stdout)
            {
                wrapper._stdout.Append(e.Data).Append('\n');
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return wrapper;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The first stderr line matching <paramref name="match"/>, whether it came before this call or comes later
    /// (subscribes first, then looks at what has been read: a line cannot slip between the two).
    /// </summary>
    public async Task<string> WaitForStderrLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string line)
        {
            if (match(line))
            {
                found.TrySetResult(line);
            }
        }

        StderrLine += OnLine;
        try
        {
            string earlier;
            lock (_stderr)
            {
                earlier = _stderr.ToString();
            }

            foreach (string line in earlier.Split('\n'))
            {
                OnLine(line);
            }

            return await found.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        finally
        {
            StderrLine -= OnLine;
        }
    }

    public async Task<(int Code, string Stdout, string Stderr)> WaitAsync(TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await Task.WhenAll(_stderrDone.Task, _stdoutDone.Task).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        lock (_stderr)
        {
            return (_process.ExitCode, _stdout.ToString(), _stderr.ToString());
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
