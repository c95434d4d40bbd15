namespace TrainWatt.Core.Epochs;

/// <summary>Which output convention marks epoch boundaries. See <see cref="EpochDetector"/> for each rule.</summary>
public enum EpochFramework
{
    /// <summary>Recognise the first convention that appears (marker, Keras, Lightning, Hugging Face) and keep it.</summary>
    Auto,

    /// <summary>Keras <c>Epoch k/N</c> lines (printed when epoch k starts) and the epoch's final progress line.</summary>
    Keras,

    /// <summary>PyTorch Lightning progress bars: <c>Epoch 2: 45%|...</c> (tqdm) or <c>Epoch 2/9 ━━━ ...</c> (rich), 0-based.</summary>
    Lightning,

    /// <summary>Hugging Face Trainer log dictionaries <c>{'loss': ..., 'epoch': 2.0}</c>.</summary>
    HuggingFace,

    /// <summary>Only the explicit <c>##trainwatt epoch-end</c> marker.</summary>
    Marker,

    /// <summary>A user regular expression: every matching line ends an epoch.</summary>
    Custom,
}
