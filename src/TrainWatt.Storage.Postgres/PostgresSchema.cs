using Npgsql;
using TrainWatt.Storage.Chunks;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema: the same tables, columns, constraints and migration versions as <see cref="SqliteSchema"/>.
/// Differences are only the engine's spelling: ids are <c>BIGINT GENERATED ALWAYS AS IDENTITY</c> (sequences, so
/// concurrent writers never race for an id and a deleted run's id is never reused), REAL columns are
/// <c>DOUBLE PRECISION</c> (SQLite's REAL is 8 bytes too), BLOB is BYTEA (stored EXTERNAL: chunks are already compact,
/// so PostgreSQL does not try to compress them again).
/// </summary>
internal static class PostgresSchema
{
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new Migration(1, "runs, devices, samples, epochs, annotations", """
            CREATE TABLE runs (
                id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                uuid          TEXT    NOT NULL UNIQUE,
                source        TEXT    NOT NULL,
                source_key    TEXT    UNIQUE,
                started_at    DOUBLE PRECISION NOT NULL,
                ended_at      DOUBLE PRECISION,
                status        TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'incomplete', 'failed')),
                exit_code     INTEGER,
                command       TEXT,
                tags          TEXT    NOT NULL DEFAULT '{}',
                job_id        TEXT,
                host          TEXT,
                pid           INTEGER,
                metadata      TEXT,
                heartbeat_at  DOUBLE PRECISION NOT NULL
            );
            CREATE INDEX ix_runs_job_id ON runs (job_id);

            CREATE TABLE devices (
                id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                run_id      BIGINT  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                key         TEXT    NOT NULL,
                component   TEXT    NOT NULL,
                name        TEXT,
                uuid        TEXT,
                provenance  TEXT    NOT NULL CHECK (provenance IN ('counter', 'sampled', 'model', 'user_given')),
                note        TEXT,
                UNIQUE (run_id, key)
            );

            CREATE TABLE samples (
                device_id        BIGINT  NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
                t                DOUBLE PRECISION NOT NULL,
                power_w          DOUBLE PRECISION,
                energy_j         DOUBLE PRECISION,
                utilization_pct  DOUBLE PRECISION,
                memory_mib       DOUBLE PRECISION,
                temperature_c    DOUBLE PRECISION,
                provenance       TEXT    NOT NULL CHECK (provenance IN ('counter', 'sampled', 'model', 'user_given')),
                source_line      INTEGER
            );
            CREATE INDEX ix_samples_device_t ON samples (device_id, t);

            CREATE TABLE epochs (
                run_id        BIGINT  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                n             INTEGER NOT NULL,
                start_t       DOUBLE PRECISION NOT NULL,
                end_t         DOUBLE PRECISION NOT NULL,
                energy_j      DOUBLE PRECISION,
                provenance    TEXT    NOT NULL CHECK (provenance IN ('counter', 'sampled', 'model', 'user_given')),
                samples_seen  BIGINT,
                PRIMARY KEY (run_id, n)
            );

            CREATE TABLE annotations (
                id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                run_id     BIGINT  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                device_id  BIGINT  REFERENCES devices (id) ON DELETE CASCADE,
                kind       TEXT    NOT NULL,
                file       TEXT,
                line       INTEGER,
                message    TEXT    NOT NULL
            );
            CREATE INDEX ix_annotations_run_id ON annotations (run_id);
            """),
        new Migration(2, "projections: live projection history", """
            CREATE TABLE projections (
                id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                run_id            BIGINT  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                epoch             INTEGER NOT NULL,
                projected_j       DOUBLE PRECISION NOT NULL,
                lower_j           DOUBLE PRECISION NOT NULL,
                upper_j           DOUBLE PRECISION NOT NULL,
                confidence        DOUBLE PRECISION NOT NULL CHECK (confidence > 0 AND confidence < 1),
                method            TEXT    NOT NULL,
                stable_from       INTEGER,
                total_epochs_min  INTEGER,
                total_epochs_max  INTEGER,
                t                 DOUBLE PRECISION NOT NULL
            );
            CREATE INDEX ix_projections_run_id ON projections (run_id);
            """),
        new Migration(3, "projections: what a whole-job projection holds (start-up, tail prior) and its drift prior", """
            ALTER TABLE projections ADD COLUMN startup_j DOUBLE PRECISION;
            ALTER TABLE projections ADD COLUMN tail_j DOUBLE PRECISION;
            ALTER TABLE projections ADD COLUMN tail_prior_source TEXT;
            ALTER TABLE projections ADD COLUMN drift_prior DOUBLE PRECISION;
            ALTER TABLE projections ADD COLUMN drift_prior_source TEXT;
            """),
        new Migration(4, "sample_chunks: samples stored compactly in chunks per device (the samples table moved into it)", """
            CREATE TABLE sample_chunks (
                id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                device_id  BIGINT  NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
                first_us   BIGINT  NOT NULL,
                last_us    BIGINT  NOT NULL,
                n          INTEGER NOT NULL CHECK (n > 0),
                data       BYTEA   NOT NULL
            );
            ALTER TABLE sample_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
            CREATE INDEX ix_sample_chunks_device_t ON sample_chunks (device_id, first_us);
            """)
        {
            Convert = (connection, transaction) => SampleConversion.Run(connection, transaction,
                new PostgresChunkRows((NpgsqlConnection)connection) { Transaction = (NpgsqlTransaction)transaction },
                "ORDER BY device_id, t, ctid", cursor: true),
            FinishSql = "DROP TABLE samples;",
        },
    ];

    public static int LatestVersion => Migrations[^1].Version;
}
