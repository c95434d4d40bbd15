namespace TrainWatt.Architecture.Counting;

/// <summary>The graph is well-formed protobuf but not a valid computation graph (a cycle, an impossible input shape).</summary>
public sealed class GraphStructureException(string message) : Exception(message);
