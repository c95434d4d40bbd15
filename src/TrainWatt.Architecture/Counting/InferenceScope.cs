using TrainWatt.Architecture.Graph;

namespace TrainWatt.Architecture.Counting;

/// <summary>Known values of one graph during inference, chained to the enclosing graph for subgraphs (outer scope).</summary>
public sealed class InferenceScope
{
    private readonly Dictionary<string, TensorValue> _values = new(StringComparer.Ordinal);
    private readonly InferenceScope? _parent;

    public InferenceScope(InferenceScope? parent, long opset, FlopsConvention convention)
    {
        _parent = parent;
        Opset = opset;
        Convention = convention;
    }

    public long Opset { get; }

    public FlopsConvention Convention { get; }

    /// <summary>Names of initializers (weights) visible here.</summary>
    public HashSet<string> InitializerNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Declared shapes from value_info/outputs, used when an operator's shape cannot be inferred.</summary>
    public Dictionary<string, TensorValue> Declared { get; } = new(StringComparer.Ordinal);

    public void Set(string name, TensorValue value) => _values[name] = value;

    public TensorValue? Get(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        return _values.TryGetValue(name, out var v) ? v : _parent?.Get(name);
    }

    public bool IsDefined(string name) => _values.ContainsKey(name) || (_parent?.IsDefined(name) ?? false);

    public bool IsInitializer(string name) => InitializerNames.Contains(name) || (_parent?.IsInitializer(name) ?? false);
}
