using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("TrainWatt.Storage.Tests")]
[assembly: InternalsVisibleTo("TrainWatt.Cli.Tests")]
