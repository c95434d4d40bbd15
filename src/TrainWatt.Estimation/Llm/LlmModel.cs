using System.Globalization;
using System.Text.Json;

namespace TrainWatt.Estimation.Llm;

/// <summary>
/// The size of a transformer language model as the training estimate needs it: total parameters, the parameters one
/// token goes through (equal to the total for a dense model; the shared weights plus the routed experts for a
/// mixture-of-experts model), and, when known, the layer count and hidden size for the attention term.
/// </summary>
/// <param name="Parameters">All parameters (what the weights take in memory).</param>
/// <param name="ActiveParameters">Parameters each token is multiplied by (MoE: shared + experts_per_token experts).</param>
/// <param name="Layers">Transformer blocks; null when unknown (the attention term is then left out and said so).</param>
/// <param name="Hidden">Model (residual stream) width d_model; null when unknown.</param>
/// <param name="Source">Where the figures come from ("given", or the config file's path).</param>
public sealed record LlmModel(double Parameters, double ActiveParameters, int? Layers, int? Hidden, string Source)
{
    /// <summary>How the figures were derived, one sentence each (a default the config left out, a layout assumed).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The sequence length the config allows (max_position_embeddings), when read from a config.</summary>
    public int? MaxSequenceLength { get; init; }

    /// <summary>True for a mixture-of-experts model (active parameters below the total).</summary>
    public bool IsMixtureOfExperts => ActiveParameters < Parameters;
}

/// <summary>
/// Counts as people write them: <c>7B</c>, <c>13b</c>, <c>2T</c>, <c>350M</c>, <c>4k</c>, <c>1.5e12</c>, <c>4096</c>
/// (k = 1e3, M = 1e6, B/G = 1e9, T = 1e12; invariant culture).
/// </summary>
public static class LlmCount
{
    /// <summary>Parses a positive finite count; a <see cref="FormatException"/> says the accepted form.</summary>
    public static double Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        double scale = 1;
        if (t.Length > 1 && char.IsLetter(t[^1]))
        {
            scale = char.ToUpperInvariant(t[^1]) switch
            {
                'K' => 1e3,
                'M' => 1e6,
                'B' or 'G' => 1e9,
                'T' => 1e12,
                _ => 0,
            };
            t = t[..^1];
        }

        return scale > 0 && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v * scale) && v > 0
            ? v * scale
            : throw new FormatException($"'{text}' is not a positive count; write e.g. 7B, 13b, 2T, 350M, 4k or 1.5e12.");
    }
}

/// <summary>
/// Reads a Hugging Face–style <c>config.json</c> from disk (no download) and counts the parameters of the decoder or
/// encoder it describes. The count, hand-checkable per layer:
/// <list type="bullet">
/// <item>attention: d·(h·d_head) for Q and O each, d·(kv·d_head) for K and V each (grouped-query attention when
/// num_key_value_heads &lt; num_attention_heads; d_head = hidden / heads unless head_dim is given);</item>
/// <item>MLP: 3·d·d_ff for a gated MLP (SwiGLU/GeGLU: gate, up, down; hidden_act silu/swish or a Llama-family
/// model_type), 2·d·d_ff otherwise (GPT-2, BERT, OPT); MoE: that per expert, plus the router d·E;</item>
/// <item>two norm weight vectors of d per layer and one final norm; biases are not counted (&lt; 0.1 %);</item>
/// <item>token embeddings V·d, and an untied output head V·d (tie_word_embeddings false); learned position
/// embeddings P·d when model_type is gpt2/opt/bert-like.</item>
/// </list>
/// For Llama-2-7B (hidden 4096, 32 layers, 32 heads, d_ff 11008, vocab 32000, untied) this gives 6,738,415,616,
/// the size of the released weights.
/// </summary>
public static class HuggingFaceConfig
{
    private static readonly string[] GatedFamilies = ["llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "gemma", "gemma2", "phi3", "olmo", "olmo2", "deepseek_v2", "deepseek_v3", "granite", "cohere", "internlm2"];
    private static readonly string[] LearnedPositions = ["gpt2", "opt", "bert", "roberta", "gpt_bigcode", "gpt_neo"];

    /// <summary>Reads and counts <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist (the message names it).</exception>
    /// <exception cref="InvalidDataException">Not JSON, or a field is missing, of the wrong type or out of range (one line naming the file and the field).</exception>
    public static LlmModel Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such config file; pass the config.json of the model (e.g. --config ./Llama-2-7b-hf/config.json).", path);
        }

        string text = File.ReadAllText(path);
        try
        {
            using var doc = JsonDocument.Parse(text);
            return Count(doc.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON (line {(e.LineNumber ?? 0) + 1}): {e.Message.Split(". ", 2)[0]}.");
        }
    }

    /// <summary>Counts a parsed config; <paramref name="file"/> names it in messages.</summary>
    public static LlmModel Count(JsonElement root, string file)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{file}: expected a JSON object with hidden_size, num_hidden_layers, ...; got a {root.ValueKind}.");
        }

        // Multimodal wrappers keep the language model under text_config.
        if (root.TryGetProperty("text_config", out var inner) && inner.ValueKind == JsonValueKind.Object && !root.TryGetProperty("hidden_size", out _))
        {
            root = inner;
        }

        var notes = new List<string>();
        string modelType = root.TryGetProperty("model_type", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()!.ToLowerInvariant() : "";
        long d = Required(root, file, "hidden_size", "n_embd", "d_model");
        long layers = Required(root, file, "num_hidden_layers", "n_layer", "num_layers");
        long heads = Required(root, file, "num_attention_heads", "n_head");
        long vocab = Required(root, file, "vocab_size");
        long kvHeads = Optional(root, file, "num_key_value_heads") is > 0 and var kv ? kv : heads;
        long headDim = Optional(root, file, "head_dim") is > 0 and var hd ? hd : d / heads;
        if (Optional(root, file, "head_dim") is null or 0 && d % heads != 0)
        {
            throw new InvalidDataException($"{file}: field 'num_attention_heads' ({heads}) does not divide 'hidden_size' ({d}); give head_dim.");
        }

        if (kvHeads > heads)
        {
            throw new InvalidDataException($"{file}: field 'num_key_value_heads' ({kvHeads}) is larger than 'num_attention_heads' ({heads}).");
        }

        long ff = Optional(root, file, "intermediate_size", "n_inner", "ffn_dim") is > 0 and var f ? f : 4 * d;
        if (Optional(root, file, "intermediate_size", "n_inner", "ffn_dim") is null or 0)
        {
            notes.Add($"intermediate_size not given: 4 x hidden = {ff} assumed");
        }

        string act = root.TryGetProperty("hidden_act", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()!.ToLowerInvariant()
            : root.TryGetProperty("activation_function", out var af) && af.ValueKind == JsonValueKind.String ? af.GetString()!.ToLowerInvariant() : "";
        bool gated = act is "silu" or "swish" or "swiglu" or "geglu" || GatedFamilies.Contains(modelType);
        long experts = Optional(root, file, "num_local_experts", "num_experts", "n_routed_experts") ?? 0;
        long perToken = Optional(root, file, "num_experts_per_tok", "top_k") ?? 0;
        if (experts > 0 && perToken == 0)
        {
            throw Missing(file, "num_experts_per_tok", "a mixture-of-experts config (num_local_experts given) needs it");
        }

        if (experts > 0 && perToken > experts)
        {
            throw new InvalidDataException($"{file}: field 'num_experts_per_tok' ({perToken}) is larger than the number of experts ({experts}).");
        }

        long moeFf = experts > 0 ? (Optional(root, file, "moe_intermediate_size") is > 0 and var mf ? mf : ff) : 0;
        long sharedFf = experts > 0 ? (Optional(root, file, "n_shared_experts") ?? 0) * moeFf + (Optional(root, file, "shared_expert_intermediate_size") ?? 0) : 0;
        bool tied = root.TryGetProperty("tie_word_embeddings", out var tie) ? tie.ValueKind == JsonValueKind.True
            : LearnedPositions.Contains(modelType);
        if (!root.TryGetProperty("tie_word_embeddings", out _))
        {
            notes.Add(tied ? $"tie_word_embeddings not given: tied, as {modelType} models are" : "tie_word_embeddings not given: an untied output head assumed");
        }

        long positions = LearnedPositions.Contains(modelType) ? Optional(root, file, "max_position_embeddings", "n_positions") ?? 0 : 0;
        int? maxSeq = (int?)Optional(root, file, "max_position_embeddings", "n_positions", "seq_length");

        double matrices = gated ? 3 : 2;
        double attention = d * (heads * headDim) * 2.0 + d * (kvHeads * headDim) * 2.0;
        double denseMlp = matrices * d * ff;
        double expertMlp = matrices * d * moeFf;
        double norms = 2.0 * d;
        double embeddings = vocab * (double)d * (tied ? 1 : 2) + positions * (double)d + d;
        double perLayerTotal, perLayerActive;
        if (experts > 0)
        {
            double shared = matrices * d * sharedFf + d * experts; // shared experts and the router run for every token
            perLayerTotal = attention + norms + shared + experts * expertMlp;
            perLayerActive = attention + norms + shared + perToken * expertMlp;
            notes.Add($"mixture of experts: {experts} experts of d_ff {moeFf}, {perToken} per token; every layer counted as an MoE layer");
        }
        else
        {
            perLayerTotal = perLayerActive = attention + norms + denseMlp;
        }

        notes.Add($"{(gated ? "gated (3-matrix)" : "2-matrix")} MLP{(kvHeads < heads ? $", grouped-query attention ({kvHeads} KV heads)" : "")}; biases not counted");
        return new LlmModel(layers * perLayerTotal + embeddings, layers * perLayerActive + embeddings, (int)layers, (int)d, file)
        {
            Notes = notes,
            MaxSequenceLength = maxSeq,
        };
    }

    private static long Required(JsonElement root, string file, params string[] names)
    {
        long n = Optional(root, file, names) ?? throw Missing(file, names[0], names.Length > 1 ? $"or {string.Join(" / ", names[1..])}" : "the parameter count needs it");
        return n > 0 ? n : throw new InvalidDataException($"{file}: field '{names[0]}' must be at least 1, got 0.");
    }

    private static InvalidDataException Missing(string file, string field, string why)
        => new($"{file}: field '{field}' is missing ({why}); is this a transformer config.json?");

    private static long? Optional(JsonElement root, string file, params string[] names)
    {
        foreach (string name in names)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long n))
            {
                throw new InvalidDataException($"{file}: field '{name}' must be a whole number, got {Shown(value)}.");
            }

            return n >= 0 && n <= 100_000_000 ? n : throw new InvalidDataException($"{file}: field '{name}' must be between 0 and 100000000, got {n}.");
        }

        return null;
    }

    private static string Shown(JsonElement value)
    {
        string raw = value.GetRawText();
        return raw.Length > 40 ? raw[..40] + "..." : raw;
    }
}
