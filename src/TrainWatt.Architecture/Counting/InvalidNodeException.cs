namespace TrainWatt.Architecture.Counting;

/// <summary>
/// An operator rule found attributes or input shapes that make the node impossible (a Gemm whose inner dimensions
/// differ, a pooling window of 0, a negative group): <see cref="FlopsCounter"/> turns it into a
/// <see cref="GraphStructureException"/> naming the node and its graph, instead of a count that looks complete.
/// </summary>
internal sealed class InvalidNodeException(string message) : Exception(message);
