namespace TrainWatt.Analysis.Data;

/// <summary>Input data for an analysis is missing or malformed; the message names the file, line and fix.</summary>
public sealed class AnalysisDataException : Exception
{
    public AnalysisDataException(string message)
        : base(message)
    {
    }

    public AnalysisDataException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
