namespace TrainWatt.Storage.Sqlite;

/// <summary>One step of the schema history. Versions start at 1 and increase by one; a migration never changes once released.</summary>
/// <param name="Version">The schema version this migration produces.</param>
/// <param name="Description">What it changes, stored in <c>schema_version</c>.</param>
/// <param name="Sql">Statements to run, in one transaction with the version bump.</param>
internal sealed record Migration(int Version, string Description, string Sql);
