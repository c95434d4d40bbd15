namespace TrainWatt.Fuzz.Tests;

/// <summary>
/// Thrown by a kind's check when a reader that reports instead of throwing (a fatal fault) refused the input: counted
/// as a documented rejection.
/// </summary>
public sealed class FuzzRejected(string message) : Exception(message);
