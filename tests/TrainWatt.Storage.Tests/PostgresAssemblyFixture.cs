using TrainWatt.Testing;

// One PostgreSQL server for the whole test assembly (started on first use, stopped and removed at the end).
[assembly: AssemblyFixture(typeof(PostgresServer))]
