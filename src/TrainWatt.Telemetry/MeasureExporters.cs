using System.Net;
using System.Net.Sockets;
using System.Text;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Telemetry;

/// <summary>
/// Parsed telemetry options. <c>PushgatewayDelete</c>: DELETE the run's group from the Pushgateway at the end instead of
/// leaving the final metrics; <c>PushInterval</c>: time between pushes while the run goes on (default 15 s; tests shorten it).
/// </summary>
public sealed record TelemetrySettings(string? JobId, int? MetricsPort, string MetricsHost, string? Pushgateway, string? MlflowUri, string? MlflowRunId,
    bool PushgatewayDelete = false, TimeSpan? PushInterval = null)
{
    public static TelemetrySettings None { get; } = new(null, null, "127.0.0.1", null, null, null);
}

/// <summary>The exporters of one measure run; disposed when it ends.</summary>
public sealed class MeasureExporters : IDisposable
{
    private readonly Lock _pushGate = new();
    private Timer? _pusher;
    private bool _finished;
    private bool _warnedPeriodic;
    private Action<string>? _say;

    private MeasureExporters(DistributedJob job, LiveMetrics? metrics, MetricsServer? server, Uri? pushgateway, MlflowLogger? mlflow, TelemetrySettings settings)
    {
        Settings = settings;
        Job = job;
        Metrics = metrics;
        Server = server;
        Pushgateway = pushgateway;
        Mlflow = mlflow;
    }

    public DistributedJob Job { get; }

    internal TelemetrySettings Settings { get; }

    internal LiveMetrics? Metrics { get; }

    internal MetricsServer? Server { get; }

    public Uri? Pushgateway { get; }

    internal MlflowLogger? Mlflow { get; }

    /// <summary>Validates the options and starts the exporters; returns an error message (usage) instead when an option is wrong.</summary>
    public static (MeasureExporters? Exporters, string? Error) Start(TelemetrySettings settings, HostContext context, Action<string> say)
    {
        var job = DistributedJob.From(settings.JobId, context);
        LiveMetrics? metrics = null;
        MetricsServer? server = null;
        Uri? push = null;
        if (settings.MetricsPort is not null || settings.Pushgateway is not null)
        {
            metrics = new LiveMetrics();
        }

        if (settings.Pushgateway is { } pushText && (!Uri.TryCreate(pushText, UriKind.Absolute, out push) || push.Scheme is not ("http" or "https")))
        {
            return (null, $"--pushgateway \"{(push is null ? pushText : WithoutCredentials(push))}\" is not an http(s) URL (example: http://pushgateway:9091).");
        }

        if (settings.PushgatewayDelete && push is null)
        {
            return (null, "--pushgateway-delete needs --pushgateway URL (the gateway to delete the run's group from).");
        }

        MlflowLogger? mlflow = null;
        string? mlflowUri = settings.MlflowUri ?? context.Env("MLFLOW_TRACKING_URI");
        string? mlflowRun = settings.MlflowRunId ?? context.Env("MLFLOW_RUN_ID");
        if (mlflowUri is not null || settings.MlflowRunId is not null)
        {
            if (mlflowUri is null || !Uri.TryCreate(mlflowUri, UriKind.Absolute, out var tracking) || tracking.Scheme is not ("http" or "https"))
            {
                return (null, $"--mlflow-uri (or MLFLOW_TRACKING_URI) must be the http(s) URL of an MLflow tracking server (example: http://mlflow:5000), but was \"{mlflowUri}\".");
            }

            if (mlflowRun is null)
            {
                return (null, "MLflow logging needs a run: pass --mlflow-run-id ID or set MLFLOW_RUN_ID to the id of an existing run (e.g. RUN=$(python -c 'import mlflow; print(mlflow.start_run().info.run_id)')); mlflow.start_run() does not pass its run to child processes.");
            }

            string? user = context.Env("MLFLOW_TRACKING_USERNAME");
            mlflow = new MlflowLogger(tracking, mlflowRun, say, token: context.Env("MLFLOW_TRACKING_TOKEN"),
                basic: user is null ? null : (user, context.Env("MLFLOW_TRACKING_PASSWORD") ?? ""));
        }

        if (settings.MetricsPort is int port)
        {
            if (port is < 0 or > 65535)
            {
                mlflow?.Dispose();
                return (null, $"--metrics-port must be between 0 and 65535, but was {port}.");
            }

            if (!IPAddress.TryParse(settings.MetricsHost, out var address))
            {
                mlflow?.Dispose();
                return (null, $"--metrics-host \"{settings.MetricsHost}\" is not an IP address (examples: 127.0.0.1, 0.0.0.0).");
            }

            if (!IPAddress.IsLoopback(address))
            {
                say($"warning: --metrics-host {address} exposes the metrics (run ids, devices, energy) to the network; keep 127.0.0.1 unless a scraper on another machine needs them.");
            }

            try
            {
                server = MetricsServer.Start(address, port, metrics!.Render);
            }
            catch (SocketException e)
            {
                mlflow?.Dispose();
                return (null, $"--metrics-port {port}: cannot listen on {address}:{port} ({e.Message}). Pick another port, or 0 for a free one.");
            }

            say($"metrics at http://{server.Endpoint}/metrics");
        }

        return (new MeasureExporters(job, metrics, server, push, mlflow, settings), null);
    }

    /// <summary>The pipeline observer feeding these exporters; null when none is on (no Prometheus, no Pushgateway, no MLflow).</summary>
    public IMeasurementObserver? Observer(TimeProvider time, string storeLocation, Action<string> say)
        => Metrics is null && Mlflow is null ? null : new TelemetryObserver(Metrics, Mlflow, time, storeLocation, say, this, MlflowLogger.KeySuffix(Job));

    /// <summary>
    /// Run started: push to the Pushgateway every <see cref="TelemetrySettings.PushInterval"/> (15 s) on a timer thread,
    /// so the group is visible while the job runs. A push in flight is never waited for by the job; a failed one warns once.
    /// </summary>
    internal void StartPushing(Action<string> say)
    {
        _say = say;
        if (Pushgateway is not null && Metrics is not null)
        {
            var every = Settings.PushInterval ?? TimeSpan.FromSeconds(15);
            _pusher = new Timer(_ => PushPeriodically(), null, every, every);
        }
    }

    private void PushPeriodically()
    {
        if (!_pushGate.TryEnter())
        {
            return; // the previous push is still in flight (bounded by its timeout), or the run is finishing
        }

        try
        {
            if (!_finished && Send(HttpMethod.Put) is { } failure && !_warnedPeriodic)
            {
                _warnedPeriodic = true;
                _say?.Invoke($"{failure}; pushes go on every {(Settings.PushInterval ?? TimeSpan.FromSeconds(15)).TotalSeconds:0.###} s (said once).");
            }
        }
        finally
        {
            _pushGate.Exit();
        }
    }

    /// <summary>End of run: the last push to the Pushgateway (or, with --pushgateway-delete, DELETE of the group), drain MLflow (bounded), warn on failures.</summary>
    public void Finish(Action<string> say)
    {
        _pusher?.Dispose();
        if (Pushgateway is not null && Metrics is not null)
        {
            lock (_pushGate)
            {
                _finished = true;
                if (Send(Settings.PushgatewayDelete ? HttpMethod.Delete : HttpMethod.Put) is { } failure)
                {
                    say(Settings.PushgatewayDelete ? $"{failure}; the group {GroupUrl(Pushgateway, Metrics.RunId)} is left on the gateway (the run is stored)."
                        : $"{failure}; metrics not pushed (the run is stored).");
                }
            }
        }

        if (Mlflow is { } mlflow && !mlflow.Drain(TimeSpan.FromSeconds(30)))
        {
            say("warning: MLflow logging did not finish within 30 s; the rest is dropped (the run is stored).");
        }
    }

    /// <summary>
    /// PUT of the metrics (or DELETE of the group) at <see cref="GroupUrl"/>, 10 s at most; null when the gateway took it,
    /// else the warning. Credentials in the URL (http://user:password@host:9091, percent-encoded) go in an
    /// Authorization: Basic header, as the Pushgateway's web config expects; they are never printed.
    /// </summary>
    private string? Send(HttpMethod method)
    {
        var push = Pushgateway!;
        string shown = WithoutCredentials(push);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(method, GroupUrl(push, Metrics!.RunId));
            if (method == HttpMethod.Put)
            {
                request.Content = new StringContent(Metrics.Render(), Encoding.UTF8);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain") { Parameters = { new("version", "0.0.4") } };
            }

            if (push.UserInfo.Length > 0)
            {
                string user = Uri.UnescapeDataString(push.UserInfo.Split(':', 2)[0]);
                string password = push.UserInfo.Contains(':', StringComparison.Ordinal) ? Uri.UnescapeDataString(push.UserInfo.Split(':', 2)[1]) : "";
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
            }

            using var response = http.SendAsync(request).GetAwaiter().GetResult();
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            string hint = response.StatusCode == HttpStatusCode.Unauthorized
                ? push.UserInfo.Length > 0 ? " (the credentials in the URL were refused)" : " (it asks for credentials: --pushgateway http://USER:PASSWORD@host:9091)"
                : "";
            return $"warning: the Pushgateway {shown} answered HTTP {(int)response.StatusCode}{hint} to {method}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"warning: cannot {(method == HttpMethod.Put ? "push metrics to" : "delete the run's group on")} {shown} ({e.Message})";
        }
    }

    /// <summary>
    /// The run's group on the Pushgateway: the URL's path prefix kept (a gateway behind a reverse proxy at
    /// <c>http://host/pushgateway</c>), then <c>/metrics/job/trainwatt/run_id/ID</c>. As the Pushgateway's URL rules
    /// require, an empty value is written <c>run_id@base64/=</c>, and a value with a character other than letters,
    /// digits, '-', '_', '.', '~' in base64url (<c>run_id@base64/...</c>), since a '/' (even as %2F) would split the path.
    /// </summary>
    internal static Uri GroupUrl(Uri push, string runId)
    {
        ArgumentNullException.ThrowIfNull(push);
        ArgumentNullException.ThrowIfNull(runId);
        var builder = new UriBuilder(push) { UserName = "", Password = "", Query = "", Fragment = "" };
        string segment = runId.Length == 0 ? "run_id@base64/="
            : runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') && runId is not ("." or "..") ? "run_id/" + runId
            : "run_id@base64/" + Convert.ToBase64String(Encoding.UTF8.GetBytes(runId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        builder.Path = builder.Path.TrimEnd('/') + "/metrics/job/trainwatt/" + segment;
        return builder.Uri;
    }

    /// <summary>The URL's scheme, host and port, without user name or password (for messages).</summary>
    internal static string WithoutCredentials(Uri url) => new UriBuilder(url) { UserName = "", Password = "", Path = "", Query = "", Fragment = "" }.Uri.GetLeftPart(UriPartial.Authority);

    public void Dispose()
    {
        _pusher?.Dispose();
        Server?.Dispose();
        Mlflow?.Dispose();
    }
}
