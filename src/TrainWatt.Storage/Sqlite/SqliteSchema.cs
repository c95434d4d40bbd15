using TrainWatt.Storage.Chunks;

namespace TrainWatt.Storage.Sqlite;

/// <summary>
/// The store's schema as ordered migrations. SQL is kept to what PostgreSQL also accepts, apart from the id columns
/// (<c>INTEGER PRIMARY KEY</c> here, <c>BIGINT GENERATED ALWAYS AS IDENTITY</c> there; run ids are
/// AUTOINCREMENT so a deleted run's id is never given to another run): TEXT, INTEGER, REAL
/// (double precision), CHECK constraints, foreign keys with ON DELETE CASCADE, window functions in queries.
/// </summary>
/// <remarks>
/// Conventions: times are REAL seconds since the Unix epoch (UTC, or the source's wall clock as written when it has no
/// zone; read back rounded to the microsecond); energies in joules (<c>_j</c>), powers in watts (<c>_w</c>); every
/// stored energy or power carries a <c>provenance</c> (counter, sampled, model, user_given). JSON is stored as TEXT.
/// Samples (schema 4) are <c>sample_chunks</c> rows: per device a run of samples in time order, first and last time in
/// whole microseconds since the Unix epoch, their count, and their compact encoding (<c>SampleChunkCodec</c>).
/// </remarks>
internal static class SqliteSchema
{
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new Migration(1, "runs, devices, samples, epochs, annotations", """
            CREATE TABLE runs (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                uuid          TEXT    NOT NULL UNIQUE,
                source        TEXT    NOT NULL,
                source_key    TEXT    UNIQUE,
                started_at    REAL    NOT NULL,
                ended_at      REAL,
                status        TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'incomplete', 'failed')),
                exit_code     INTEGER,
                command       TEXT,
                tags          TEXT    NOT NULL DEFAULT '{}',
                job_id        TEXT,
                host          TEXT,
                pid           INTEGER,
                metadata      TEXT,
                heartbeat_at  REAL    NOT NULL
            );
            CREATE INDEX ix_runs_job_id ON runs (job_id);

            CREATE TABLE devices (
                id          INTEGER PRIMARY KEY,
                run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                key         TEXT    NOT NULL,
                component   TEXT    NOT NULL,
                name        TEXT,
                uuid        TEXT,
                provenance  TEXT    NOT NULL CHECK (provenance IN ('counter', 'sampled', 'model', 'user_given')),
                note        TEXT,
                UNIQUE (run_id, key)
            );

            CREATE TABLE samples (
                device_id        INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
                t                REAL    NOT NULL,
                power_w          REAL,
                energy_j         REAL,
                utilization_pct  REAL,
                memory_mib       REAL,
                temperature_c    REAL,
                provenance       TEXT    NOT NULL CHECK (provenance IN ('counter', 'sampled', 'model', 'user_given')),
                source_line      INTEGER
            );
            CREATE INDEX ix_samples_device_t ON samples (device_id, t);

            CREATE TABLE epochs (
                run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                n             INTEGER NOT NULL,
                start_t       REAL    NOT NULL,
                end_t         REAL    NOT NULL,
                energy_j      REAL,
                provenance    TEXT    NOT NULL CHECK (provenance IN ('counter', 'sampled', 'model', 'user_given')),
                samples_seen  INTEGER,
                PRIMARY KEY (run_id, n)
            );

            CREATE TABLE annotations (
                id         INTEGER PRIMARY KEY,
                run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                device_id  INTEGER REFERENCES devices (id) ON DELETE CASCADE,
                kind       TEXT    NOT NULL,
                file       TEXT,
                line       INTEGER,
                message    TEXT    NOT NULL
            );
            CREATE INDEX ix_annotations_run_id ON annotations (run_id);
            """),
        new Migration(2, "projections: live projection history", """
            CREATE TABLE projections (
                id                INTEGER PRIMARY KEY,
                run_id            INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                epoch             INTEGER NOT NULL,
                projected_j       REAL    NOT NULL,
                lower_j           REAL    NOT NULL,
                upper_j           REAL    NOT NULL,
                confidence        REAL    NOT NULL CHECK (confidence > 0 AND confidence < 1),
                method            TEXT    NOT NULL,
                stable_from       INTEGER,
                total_epochs_min  INTEGER,
                total_epochs_max  INTEGER,
                t                 REAL    NOT NULL
            );
            CREATE INDEX ix_projections_run_id ON projections (run_id);
            """),
        new Migration(3, "projections: what a whole-job projection holds (start-up, tail prior) and its drift prior", """
            ALTER TABLE projections ADD COLUMN startup_j REAL;
            ALTER TABLE projections ADD COLUMN tail_j REAL;
            ALTER TABLE projections ADD COLUMN tail_prior_source TEXT;
            ALTER TABLE projections ADD COLUMN drift_prior REAL;
            ALTER TABLE projections ADD COLUMN drift_prior_source TEXT;
            """),
        new Migration(4, "sample_chunks: samples stored compactly in chunks per device (the samples table moved into it)", """
            CREATE TABLE sample_chunks (
                id         INTEGER PRIMARY KEY,
                device_id  INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
                first_us   INTEGER NOT NULL,
                last_us    INTEGER NOT NULL,
                n          INTEGER NOT NULL CHECK (n > 0),
                data       BLOB    NOT NULL
            );
            CREATE INDEX ix_sample_chunks_device_t ON sample_chunks (device_id, first_us);
            """)
        {
            Convert = (connection, transaction) =>
            {
                using var rows = new SqliteChunkRows((Microsoft.Data.Sqlite.SqliteConnection)connection) { Transaction = (Microsoft.Data.Sqlite.SqliteTransaction)transaction };
                SampleConversion.Run(connection, transaction, rows, "ORDER BY device_id, t, rowid");
            },
            FinishSql = "DROP TABLE samples;",
        },
    ];

    public static int LatestVersion => Migrations[^1].Version;
}
