namespace TrainWatt.Storage.Sqlite;

/// <summary>One step of the schema history. Versions start at 1 and increase by one; a migration never changes once released.</summary>
/// <param name="Version">The schema version this migration produces.</param>
/// <param name="Description">What it changes, stored in <c>schema_version</c>.</param>
/// <param name="Sql">Statements to run, in one transaction with the version bump.</param>
internal sealed partial record Migration(int Version, string Description, string Sql)
{
    /// <summary>Moves data after <see cref="Sql"/> and before <see cref="FinishSql"/>, in the same transaction (schema 4: samples into chunks).</summary>
    public Action<System.Data.Common.DbConnection, System.Data.Common.DbTransaction>? Convert { get; init; }

    /// <summary>Statements run after <see cref="Convert"/> (dropping what it emptied).</summary>
    public string FinishSql { get; init; } = "";

    /// <summary>The tables this migration creates (from its <c>CREATE TABLE</c> statements).</summary>
    public IEnumerable<string> Tables => CreateTable().Matches(Sql).Select(m => m.Groups["name"].Value);

    /// <summary>The tables this migration drops (from its <c>DROP TABLE</c> statements).</summary>
    public IEnumerable<string> DroppedTables => DropTable().Matches(Sql + "\n" + FinishSql).Select(m => m.Groups["name"].Value);

    [System.Text.RegularExpressions.GeneratedRegex(@"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>\w+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex CreateTable();

    [System.Text.RegularExpressions.GeneratedRegex(@"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?<name>\w+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex DropTable();

    /// <summary>
    /// The tables a store at schema version <paramref name="version"/> must have that <paramref name="existing"/> lacks
    /// (a store whose schema_version says N but whose tables are gone is damaged, not "up to date").
    /// </summary>
    public static IReadOnlyList<string> MissingTables(IEnumerable<Migration> migrations, int version, IEnumerable<string> existing)
    {
        var present = new HashSet<string>(existing, StringComparer.OrdinalIgnoreCase);
        var required = new List<string>();
        foreach (var migration in migrations.Where(m => m.Version <= version))
        {
            required.AddRange(migration.Tables);
            required.RemoveAll(t => migration.DroppedTables.Contains(t, StringComparer.OrdinalIgnoreCase));
        }

        return [.. required.Where(t => !present.Contains(t)).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The one-line message for a store that lacks <paramref name="missing"/> at schema version <paramref name="version"/>.</summary>
    public static string MissingTablesMessage(string location, int version, IReadOnlyList<string> missing)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"The store {location} says schema version {version} but lacks the tables {string.Join(", ", missing)}: it is damaged or was changed by hand. Restore it from a backup, or move it away and TrainWatt creates a new store there.");
}
