using System.CommandLine;
using TrainWatt.Architecture.Counting;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;
using TrainWatt.Estimation.Llm;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt estimate --llm (--params N [--active-params N] [--layers N --hidden N] | --config config.json) --tokens N
/// [--seq-len N] --gpu NAME [--gpu-count N] [--finetune full|lora --trainable-params N] [--mfu X] [--load-factor X]
/// [--country/--pue/--price/--json]</c>: LLM training time and energy from FLOPs and an MFU prior (<see cref="LlmEstimation"/>, docs/llm.md).
/// </summary>
internal sealed class LlmEstimateOptions
{
    private readonly Option<bool> _llm = new("--llm") { Description = "Estimate LLM training or fine-tuning from parameters and tokens (docs/llm.md) instead of PRE." };
    private readonly Option<double?> _params = TypedOptions.ParsedValue("--params", "LLM: total parameters, e.g. 7B.", LlmCount.Parse);
    private readonly Option<double?> _active = TypedOptions.ParsedValue("--active-params", "LLM: parameters each token goes through (mixture of experts), e.g. 13B; default --params.", LlmCount.Parse);
    private readonly Option<double?> _tokens = TypedOptions.ParsedValue("--tokens", "LLM: training tokens, e.g. 2T.", LlmCount.Parse);
    private readonly Option<int?> _seq = new("--seq-len") { Description = "LLM: tokens per sequence; default the config's max_position_embeddings." };
    private readonly Option<int?> _layers = new("--layers") { Description = "LLM: transformer layers (for the attention term)." };
    private readonly Option<int?> _hidden = new("--hidden") { Description = "LLM: model width d_model (for the attention term)." };
    private readonly Option<string?> _config = new("--config") { Description = "LLM: a Hugging Face config.json on disk (parameters, layers, width) or an ONNX model (parameters counted)." };
    private readonly Option<Spelt<LlmTraining>> _finetune = TypedOptions.Choice("--finetune", "LLM: full (pre-training, full fine-tuning) or lora (frozen base, trained adapters).", LlmTraining.Full, ("full", LlmTraining.Full), ("lora", LlmTraining.Lora));
    private readonly Option<double?> _trainable = TypedOptions.ParsedValue("--trainable-params", "LLM, with --finetune lora: the adapters' parameters, e.g. 40M.", LlmCount.Parse);
    private readonly Option<int> _count = new("--gpu-count") { Description = "LLM: GPUs training together.", DefaultValueFactory = _ => 1 };
    private readonly Option<double?> _mfu = new("--mfu") { Description = "LLM: the model FLOPs utilisation you expect (0-1), instead of the published runs' prior." };
    private readonly Option<double> _load = new("--load-factor") { Description = "LLM: GPU power while training / TDP.", DefaultValueFactory = _ => LlmEstimateRequest.DefaultLoadFactor };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { _llm, _params, _active, _tokens, _seq, _layers, _hidden, _config, _finetune, _trainable, _count, _mfu, _load })
        {
            command.Options.Add(o);
        }
    }

    public bool Requested(ParseResult parse) => parse.GetValue(_llm);

    /// <summary>Reads the options (and estimate's --gpu, --country, --pue, --price, --json), estimates, prints; exit 0, else the failure's code.</summary>
    public int Execute(CliContext context, ParseResult parse, GpuSpec? gpu, CarbonIntensityEntry? country, double? pue, ElectricityPrice? price, bool json)
    {
        string? config = parse.GetValue(_config);
        double? given = parse.GetValue(_params);
        if (LlmEstimateRequest.MissingOptions(config is not null, given is not null, parse.GetValue(_tokens) is not null, gpu is not null) is { Count: > 0 } missing)
        {
            throw new SettingsException(missing);
        }

        var onnx = config?.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) == true ? FlopsReports.Count(new FlopsRequest { OnnxFile = config }).Result : null;
        var model = onnx is not null ? new LlmModel(onnx.Params, onnx.Params, parse.GetValue(_layers), parse.GetValue(_hidden), config + " (parameters counted as by trainwatt flops)")
            : config is not null ? HuggingFaceConfig.Read(config)
            : new LlmModel(given!.Value, parse.GetValue(_active) ?? given.Value, parse.GetValue(_layers), parse.GetValue(_hidden), "given");
        int seq = parse.GetValue(_seq) ?? model.MaxSequenceLength ?? throw new SettingsException(["--llm needs --seq-len N (tokens per sequence, e.g. --seq-len 4096)."]);
        var request = new LlmEstimateRequest(model, parse.GetValue(_tokens)!.Value, seq, gpu!, parse.GetValue(_count))
        {
            Training = parse.GetValue(_finetune).Value, TrainableParameters = parse.GetValue(_trainable), Mfu = parse.GetValue(_mfu), LoadFactor = parse.GetValue(_load),
        };
        if (request.Validate() is { Count: > 0 } bad)
        {
            throw new SettingsException(bad);
        }

        var report = LlmEstimation.Report(LlmEstimation.Estimate(request), pue is double p ? PueAssumption.Given(p) : PueAssumption.Default(),
            IntensityAssumption.From(country ?? CarbonIntensityTable.Default.World), price);
        context.WriteData(json ? report.ToJson() : string.Join('\n', report.TextLines()) + "\n");
        return 0;
    }
}
