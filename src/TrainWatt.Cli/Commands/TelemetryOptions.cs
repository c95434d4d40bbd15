using System.CommandLine;
using TrainWatt.Telemetry;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// The "beyond one machine" options of <c>measure</c>: <c>--job-id</c>, <c>--metrics-port</c>/<c>--metrics-host</c>,
/// <c>--pushgateway</c>, <c>--mlflow-uri</c>/<c>--mlflow-run-id</c>; and the exporters they start.
/// </summary>
internal sealed class TelemetryOptions
{
    private readonly Option<string?> _jobId = new("--job-id") { Description = "Distributed job id stored with the run (default: SLURM_JOB_ID, else TORCHELASTIC_RUN_ID). See `trainwatt runs merge`.", HelpName = "ID" };
    private readonly Option<int?> _metricsPort = new("--metrics-port") { Description = "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics while measuring (e.g. 9464; 0 picks a free port).", HelpName = "PORT" };
    private readonly Option<string> _metricsHost = new("--metrics-host") { Description = "Address for --metrics-port (default 127.0.0.1; anything else exposes the metrics to the network).", DefaultValueFactory = _ => "127.0.0.1", HelpName = "ADDRESS" };
    private readonly Option<string?> _pushgateway = new("--pushgateway") { Description = "Push the metrics to this Prometheus Pushgateway (http://host:9091) every 15 s and at the end.", HelpName = "URL" };
    private readonly Option<bool> _pushgatewayDelete = new("--pushgateway-delete") { Description = "Delete the run's group from the Pushgateway at the end instead of leaving the final metrics." };
    private readonly Option<string?> _mlflowUri = new("--mlflow-uri") { Description = "MLflow tracking server (default: MLFLOW_TRACKING_URI): log per-epoch energy and power, and the summary.", HelpName = "URI" };
    private readonly Option<string?> _mlflowRunId = new("--mlflow-run-id") { Description = "MLflow run to log to (default: MLFLOW_RUN_ID).", HelpName = "ID" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _jobId, _metricsPort, _metricsHost, _pushgateway, _pushgatewayDelete, _mlflowUri, _mlflowRunId })
        {
            command.Options.Add(option);
        }
    }

    public TelemetrySettings Read(ParseResult parse) => new(
        parse.GetValue(_jobId), parse.GetValue(_metricsPort), parse.GetValue(_metricsHost)!, parse.GetValue(_pushgateway),
        parse.GetValue(_mlflowUri), parse.GetValue(_mlflowRunId), parse.GetValue(_pushgatewayDelete));
}

