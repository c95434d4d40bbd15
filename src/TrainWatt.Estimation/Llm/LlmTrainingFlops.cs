using System.Globalization;

namespace TrainWatt.Estimation.Llm;

/// <summary>How the weights are trained.</summary>
public enum LlmTraining
{
    /// <summary>Every weight gets a gradient: pre-training or full fine-tuning (6·P per token).</summary>
    Full,

    /// <summary>
    /// The base weights are frozen and small trainable adapters are added (LoRA, adapters, prefix tuning): the forward
    /// and the activation gradients still run through every frozen weight, only the adapters get weight gradients.
    /// </summary>
    Lora,
}

/// <summary>
/// Training FLOPs of a transformer language model, term by term, per token and in total. Per token, with P the active
/// (frozen + trained) parameters a token goes through, T the parameters that get weight gradients, l layers, s the
/// sequence length and d the model width:
/// <list type="bullet">
/// <item>forward, dense: 2·P (one multiply-add per weight; Kaplan et al. 2020, "Scaling Laws for Neural Language
/// Models", section 2.1, C_forward ≈ 2N);</item>
/// <item>backward, activation gradients: 2·P (every weight matrix, frozen or not, is multiplied once more to pass the
/// gradient to its input);</item>
/// <item>backward, weight gradients: 2·T (only for weights that are trained). Full training: T = P, so the three give
/// the familiar 6·P·D (Kaplan et al. 2020; Hoffmann et al. 2022, "Chinchilla", approach 1; Narayanan et al. 2021,
/// "Efficient Large-Scale Language Model Training on GPU Clusters", eq. 3 without recomputation). LoRA: T = the
/// adapters, P = base + adapters, so 4·P_base + 6·P_adapters;</item>
/// <item>attention scores and their use (QKᵀ and A·V, no weights): 2·l·s·d forward (Kaplan et al. 2020, Table 1:
/// 2·n_layer·n_ctx·d_attn), twice that backward (both operands are activations), 6·l·s·d in all; it does not shrink
/// with frozen weights. Counted over the full s×s score matrix, as Kaplan does (a causal kernel skips up to half).</item>
/// </list>
/// Activation recomputation (Narayanan's 8·P instead of 6·P) is not counted: it is part of the achieved MFU, not of the
/// model's FLOPs.
/// </summary>
/// <param name="Tokens">Training tokens D (sequences × sequence length × epochs).</param>
/// <param name="ForwardPerToken">2·P.</param>
/// <param name="ActivationGradientsPerToken">2·P.</param>
/// <param name="WeightGradientsPerToken">2·T.</param>
/// <param name="AttentionPerToken">6·l·s·d, or 0 when layers or width are unknown.</param>
public sealed record LlmTrainingFlops(double Tokens, double ForwardPerToken, double ActivationGradientsPerToken, double WeightGradientsPerToken, double AttentionPerToken)
{
    /// <summary>FLOPs per token, all terms.</summary>
    public double PerToken => ForwardPerToken + ActivationGradientsPerToken + WeightGradientsPerToken + AttentionPerToken;

    /// <summary>Total training FLOPs: per token × D.</summary>
    public double Total => PerToken * Tokens;

    /// <summary>True when the attention term could be counted (layers and width known).</summary>
    public bool HasAttention => AttentionPerToken > 0;

    /// <summary>The formula with this run's numbers, for reports.</summary>
    public string Formula
    {
        get
        {
            var ci = CultureInfo.InvariantCulture;
            string dense = ForwardPerToken == WeightGradientsPerToken
                ? string.Create(ci, $"6 x {ForwardPerToken / 2:0.###e+0} params")
                : string.Create(ci, $"4 x {ForwardPerToken / 2:0.###e+0} frozen + adapter params + 2 x {WeightGradientsPerToken / 2:0.###e+0} trained");
            string attention = HasAttention ? string.Create(ci, $" + 6 x layers x seq x d ({AttentionPerToken:0.###e+0})") : " (attention term left out: give --layers and --hidden)";
            return string.Create(ci, $"({dense}{attention}) x {Tokens:0.###e+0} tokens");
        }
    }

    /// <summary>
    /// The FLOPs of training <paramref name="model"/> on <paramref name="tokens"/> tokens of <paramref name="sequenceLength"/>.
    /// <paramref name="trainableParameters"/>: the adapters' parameters for <see cref="LlmTraining.Lora"/> (added to the
    /// base); ignored for <see cref="LlmTraining.Full"/>, where every active parameter is trained.
    /// </summary>
    public static LlmTrainingFlops Compute(LlmModel model, double tokens, int sequenceLength, LlmTraining training, double? trainableParameters = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(tokens > 0 && double.IsFinite(tokens)))
        {
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "Training tokens must be a finite number > 0.");
        }

        if (sequenceLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sequenceLength), sequenceLength, "The sequence length must be > 0.");
        }

        double p = model.ActiveParameters;
        double trained = p;
        if (training == LlmTraining.Lora)
        {
            double adapters = trainableParameters ?? throw new ArgumentException("LoRA fine-tuning needs the adapters' trainable parameter count (e.g. --trainable-params 40M).", nameof(trainableParameters));
            if (!(adapters > 0 && adapters < p))
            {
                throw new ArgumentOutOfRangeException(nameof(trainableParameters), adapters, $"The trainable (adapter) parameters must be > 0 and below the model's {p:0.###e+0}.");
            }

            p += adapters;
            trained = adapters;
        }

        double attention = model.Layers is int l && model.Hidden is int d ? 6.0 * l * sequenceLength * d : 0;
        return new LlmTrainingFlops(tokens, 2 * p, 2 * p, 2 * trained, attention);
    }
}
