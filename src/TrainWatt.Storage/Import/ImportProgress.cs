namespace TrainWatt.Storage.Import;

/// <summary>How far an import is, reported by the importer's writer thread after each batch of samples.</summary>
/// <param name="File">The input being written.</param>
/// <param name="Index">Its position among the inputs (0-based).</param>
/// <param name="Count">The number of inputs.</param>
/// <param name="BytesRead">Bytes of the input read so far (compressed bytes of a gzip file).</param>
/// <param name="Bytes">The input's size in bytes, or null when unknown (a pipe).</param>
/// <param name="Samples">Samples of this input stored or buffered so far.</param>
public sealed record ImportProgress(string File, int Index, int Count, long BytesRead, long? Bytes, long Samples)
{
    /// <summary>The input's size, or null for a pipe or a file that cannot be looked at.</summary>
    internal static long? SizeOf(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length > 0 ? info.Length : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
