namespace TrainWatt.Architecture.Onnx;

/// <summary>
/// An ONNX file is malformed: truncated, a field with the wrong wire type, a length that runs past its message, a
/// graph cycle. The message names the file, the byte offset and the field being read.
/// </summary>
public sealed class OnnxFormatException : Exception
{
    public OnnxFormatException(string file, long offset, string detail)
        : base($"{file}: malformed ONNX at byte {offset}: {detail}")
    {
        File = file;
        Offset = offset;
        Detail = detail;
    }

    /// <summary>The file (as given by the caller).</summary>
    public string File { get; }

    /// <summary>Byte offset in the file where reading failed (-1 when the fault is structural, e.g. a cycle).</summary>
    public long Offset { get; }

    public string Detail { get; }
}
