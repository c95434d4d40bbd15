using System.Net;
using System.Net.Sockets;
using System.Text;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Telemetry;

/// <summary>Parsed telemetry options.</summary>
public sealed record TelemetrySettings(string? JobId, int? MetricsPort, string MetricsHost, string? Pushgateway, string? MlflowUri, string? MlflowRunId)
{
    public static TelemetrySettings None { get; } = new(null, null, "127.0.0.1", null, null, null);
}

/// <summary>The exporters of one measure run; disposed when it ends.</summary>
public sealed class MeasureExporters : IDisposable
{
    private MeasureExporters(DistributedJob job, LiveMetrics? metrics, MetricsServer? server, Uri? pushgateway, MlflowLogger? mlflow)
    {
        Job = job;
        Metrics = metrics;
        Server = server;
        Pushgateway = pushgateway;
        Mlflow = mlflow;
    }

    public DistributedJob Job { get; }

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

        return (new MeasureExporters(job, metrics, server, push, mlflow), null);
    }

    /// <summary>The pipeline observer feeding these exporters; null when none is on (no Prometheus, no Pushgateway, no MLflow).</summary>
    public IMeasurementObserver? Observer(TimeProvider time, string storeLocation, Action<string> say)
        => Metrics is null && Mlflow is null ? null : new TelemetryObserver(Metrics, Mlflow, time, storeLocation, say, this, MlflowLogger.KeySuffix(Job));

    /// <summary>End of run: push to the Pushgateway, drain MLflow (bounded), warn on failures.</summary>
    public void Finish(Action<string> say)
    {
        if (Pushgateway is { } push && Metrics is { } metrics)
        {
            // Credentials in the URL (http://user:password@host:9091, percent-encoded) go in an Authorization: Basic
            // header, as the Pushgateway's web config expects; they are never printed.
            string shown = WithoutCredentials(push);
            var target = GroupUrl(push, metrics.RunId);
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                using var request = new HttpRequestMessage(HttpMethod.Put, target) { Content = new StringContent(metrics.Render(), Encoding.UTF8) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain") { Parameters = { new("version", "0.0.4") } };
                if (push.UserInfo.Length > 0)
                {
                    string user = Uri.UnescapeDataString(push.UserInfo.Split(':', 2)[0]);
                    string password = push.UserInfo.Contains(':', StringComparison.Ordinal) ? Uri.UnescapeDataString(push.UserInfo.Split(':', 2)[1]) : "";
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
                }

                using var response = http.SendAsync(request).GetAwaiter().GetResult();
                if (!response.IsSuccessStatusCode)
                {
                    string hint = response.StatusCode == System.Net.HttpStatusCode.Unauthorized
                        ? push.UserInfo.Length > 0 ? " (the credentials in the URL were refused)" : " (it asks for credentials: --pushgateway http://USER:PASSWORD@host:9091)"
                        : "";
                    say($"warning: the Pushgateway {shown} answered HTTP {(int)response.StatusCode}{hint}; metrics not pushed (the run is stored).");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                say($"warning: cannot push metrics to {shown} ({e.Message}); the run is stored.");
            }
        }

        if (Mlflow is { } mlflow && !mlflow.Drain(TimeSpan.FromSeconds(30)))
        {
            say("warning: MLflow logging did not finish within 30 s; the rest is dropped (the run is stored).");
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
        Server?.Dispose();
        Mlflow?.Dispose();
    }
}
