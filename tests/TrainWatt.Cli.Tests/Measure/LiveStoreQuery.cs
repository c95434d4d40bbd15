using System.Globalization;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// Reads one number from a SQLite store that another process (a running <c>trainwatt measure</c>) is writing: read-only,
/// unpooled, and 0 while the file or its schema does not exist yet.
/// </summary>
internal static class LiveStoreQuery
{
    public static double Scalar(string db, string sql)
    {
        if (!File.Exists(db))
        {
            return 0;
        }

        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToDouble(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // the schema is not created yet
        }
    }
}
