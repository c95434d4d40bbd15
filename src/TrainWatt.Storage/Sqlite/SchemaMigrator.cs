using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TrainWatt.Storage.Sqlite;

/// <summary>
/// Brings a store to the latest schema: reads <c>schema_version</c>, applies the missing migrations in order in one
/// write transaction (<c>BEGIN IMMEDIATE</c>, so two processes opening a new store at once do not both migrate), and
/// refuses a store written by a newer TrainWatt.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>Migrates; returns the version the store had (0 for a new store).</summary>
    public static int Migrate(SqliteConnection connection, IReadOnlyList<Migration> migrations, string location, TimeProvider time)
    {
        ValidateOrder(migrations);
        int latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        using var transaction = connection.BeginTransaction();

        bool hasVersionTable = Scalar<long>(connection, transaction,
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'") > 0;
        if (!hasVersionTable)
        {
            long otherTables = Scalar<long>(connection, transaction,
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
            if (otherTables > 0)
            {
                throw new StoreException(location,
                    $"{location} is an SQLite database but not a TrainWatt store (it has tables but no schema_version). " +
                    "Point --db (or TRAINWATT_DB) to a new file or to an existing TrainWatt store.");
            }

            Execute(connection, transaction,
                "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
        }

        int current = (int)Scalar<long>(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        if (current <= latest)
        {
            var tables = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.Transaction = transaction;
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            var missing = Migration.MissingTables(migrations, current, tables);
            if (missing.Count > 0)
            {
                throw new StoreException(location, Migration.MissingTablesMessage(location, current, missing));
            }
        }

        if (current > latest)
        {
            throw new StoreException(location,
                $"The store {location} has schema version {current}, but this TrainWatt understands versions up to {latest}. " +
                "It was written by a newer TrainWatt: upgrade TrainWatt, or use another store with --db PATH (or TRAINWATT_DB).");
        }

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            try
            {
                Execute(connection, transaction, migration.Sql);
                migration.Convert?.Invoke(connection, transaction);
                if (migration.FinishSql.Length > 0)
                {
                    Execute(connection, transaction, migration.FinishSql);
                }
            }
            catch (StoreRowException e)
            {
                throw new StoreException(location,
                    $"Upgrading the store {location} to schema version {migration.Version} ({migration.Description}) failed: {e.Message}. " +
                    $"Nothing was changed. {SqliteRunStore.DamagedFix(location)}", e);
            }
            catch (SqliteException e)
            {
                throw new StoreException(location,
                    $"Upgrading the store {location} to schema version {migration.Version} ({migration.Description}) failed: {e.Message}. " +
                    "Nothing was changed. Please report this as a bug.", e);
            }

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES ($v, $d, $t)";
            record.Parameters.AddWithValue("$v", migration.Version);
            record.Parameters.AddWithValue("$d", migration.Description);
            record.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return current;
    }

    private static void ValidateOrder(IReadOnlyList<Migration> migrations)
    {
        for (int i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Migration versions must be 1, 2, 3... in order; position {i} holds version {migrations[i].Version}.");
            }
        }
    }

    private static T Scalar<T>(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
