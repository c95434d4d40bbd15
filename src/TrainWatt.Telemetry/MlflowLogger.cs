using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using TrainWatt.Measurement;

using TrainWatt.Core.Projection;

namespace TrainWatt.Telemetry;

/// <summary>A metric for MLflow's log-batch (value dimensionless as MLflow stores it; the unit is in the key).</summary>
internal readonly record struct MlflowMetric(string Key, double Value, long TimestampMs, long Step);

/// <summary>
/// Logs to an MLflow tracking server through its REST API: <c>POST {uri}/api/2.0/mlflow/runs/log-batch</c> with
/// <c>{"run_id", "metrics": [{key, value, timestamp, step}], "tags": [{key, value}]}</c>.
/// </summary>
/// <remarks>
/// Metrics and tags only, never params: MLflow params are immutable, so a reused run (or several nodes sharing one
/// <c>MLFLOW_RUN_ID</c>) would get HTTP 400 for a second value and lose the whole batch. A metric whose value is NaN or
/// infinite is left out (JSON has no such number, and MLflow's REST API refuses the batch).
/// </remarks>
/// <remarks>
/// Requests go through one background queue, so a slow or dead tracker never blocks sampling. A failed request is
/// retried with exponential backoff (<see cref="FirstBackoff"/>, doubling, at most <see cref="MaxAttempts"/> attempts)
/// on network errors, 429 and 5xx; other 4xx are not retried. Each failure prints one warning; the measurement goes on.
/// Authentication as MLflow's clients: MLFLOW_TRACKING_TOKEN (bearer) or MLFLOW_TRACKING_USERNAME/PASSWORD (basic).
/// </remarks>
internal sealed class MlflowLogger : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _runId;
    private readonly Action<string> _warn;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _worker;
    private readonly CancellationTokenSource _abort = new();
    private bool _degraded;

    public MlflowLogger(Uri trackingUri, string runId, Action<string> warn, HttpMessageHandler? handler = null, string? token = null, (string User, string Password)? basic = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(10);
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (basic is { } b)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(b.User + ":" + b.Password)));
        }

        _endpoint = new Uri(trackingUri.ToString().TrimEnd('/') + "/api/2.0/mlflow/runs/log-batch");
        _runId = runId;
        _warn = warn;
        _worker = Task.Run(Work);
    }

    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(0.5);

    public int MaxAttempts { get; init; } = 5;

    /// <summary>Requests that finally failed (after retries).</summary>
    public int Failed { get; private set; }

    /// <summary>Queues one log-batch request (never blocks, never throws on tracker failures); nothing when every metric is non-finite and there are no tags.</summary>
    public void LogBatch(IReadOnlyList<MlflowMetric> metrics, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        if (metrics.Any(m => double.IsFinite(m.Value)) || tags.Count > 0)
        {
            _queue.Writer.TryWrite(Body(_runId, metrics, tags));
        }
    }

    /// <summary>The request body (exact JSON, tested): finite metrics only, and the tags.</summary>
    internal static string Body(string runId, IReadOnlyList<MlflowMetric> metrics, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("run_id", runId);
            json.WriteStartArray("metrics");
            foreach (var m in metrics.Where(m => double.IsFinite(m.Value)))
            {
                json.WriteStartObject();
                json.WriteString("key", m.Key);
                json.WriteNumber("value", m.Value);
                json.WriteNumber("timestamp", m.TimestampMs);
                json.WriteNumber("step", m.Step);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WritePairs(json, "tags", tags);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WritePairs(Utf8JsonWriter json, string name, IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        json.WriteStartArray(name);
        foreach (var (key, value) in pairs)
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteString("value", value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Waits up to <paramref name="timeout"/> for queued requests (with their retries) to finish.</summary>
    public bool Drain(TimeSpan timeout)
    {
        _queue.Writer.TryComplete();
        bool done = _worker.Wait(timeout);
        if (Failed > 1)
        {
            _warn($"warning: {Failed} MLflow requests failed in all; the run is complete in the TrainWatt store.");
        }

        return done;
    }

    private async Task Work()
    {
        await foreach (string body in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await Send(body).ConfigureAwait(false);
        }
    }

    private async Task Send(string body)
    {
        var delay = FirstBackoff;

        // Once a request has failed all its attempts, later ones get one attempt each until the tracker answers again:
        // a dead tracker costs one backoff sequence per run, not one per epoch.
        int maxAttempts = _degraded ? 1 : MaxAttempts;
        for (int attempt = 1; ; attempt++)
        {
            string problem;
            bool retry;
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync(_endpoint, content, _abort.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    _degraded = false;
                    return;
                }

                string text = await response.Content.ReadAsStringAsync(_abort.Token).ConfigureAwait(false);
                problem = $"HTTP {(int)response.StatusCode} {Shorten(text)}";
                retry = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
            }
            catch (HttpRequestException e)
            {
                problem = e.Message;
                retry = true;
            }
            catch (TaskCanceledException) when (!_abort.IsCancellationRequested)
            {
                problem = "timed out";
                retry = true;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!retry || attempt >= maxAttempts)
            {
                Failed++;
                _degraded |= retry;
                if (Failed == 1)
                {
                    _warn($"warning: MLflow logging to {_endpoint.GetLeftPart(UriPartial.Authority)} failed ({problem}){(retry ? $" after {attempt} attempts" : "")}; the measurement goes on and is stored.");
                }

                return;
            }

            try
            {
                await Task.Delay(delay, _abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay *= 2;
        }
    }

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length > 200 ? text[..200] + "..." : text;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _abort.Cancel();
        try
        {
            _worker.Wait(TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            // Cancelled on purpose.
        }

        _http.Dispose();
        _abort.Dispose();
    }

    /// <summary>Metric keys and values for one epoch: energy (J), mean power (W), cumulative energy (J), projection.</summary>
    internal static IReadOnlyList<MlflowMetric> EpochMetrics(int epoch, double epochJoules, double meanWatts, double cumulativeJoules, ProjectionEntry? projection, long timestampMs)
    {
        var metrics = new List<MlflowMetric>
        {
            new("trainwatt_epoch_energy_j", epochJoules, timestampMs, epoch),
            new("trainwatt_epoch_mean_power_w", meanWatts, timestampMs, epoch),
            new("trainwatt_energy_j", cumulativeJoules, timestampMs, epoch),
        };
        if (projection is not null)
        {
            metrics.Add(new("trainwatt_projected_energy_j", projection.Projected.Joules, timestampMs, epoch));
            metrics.Add(new("trainwatt_projected_energy_lower_j", projection.Lower.Joules, timestampMs, epoch));
            metrics.Add(new("trainwatt_projected_energy_upper_j", projection.Upper.Joules, timestampMs, epoch));
        }

        return metrics;
    }

    internal static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The suffix that keeps the keys of one node or rank apart when several share an MLflow run (a distributed job):
    /// <c>.NODE</c> or <c>.NODE.rankR</c>, with characters MLflow does not allow in keys (other than letters, digits, '_',
    /// '-', '.', ' ', '/') replaced by '_'; empty outside a distributed job.
    /// </summary>
    internal static string KeySuffix(DistributedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.JobId is null && job.Rank is null)
        {
            return "";
        }

        static string Clean(string text) => new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ' ' or '/' ? c : '_')]);
        return "." + Clean(job.Node) + (job.Rank is { } rank ? ".rank" + Clean(rank) : "");
    }
}
