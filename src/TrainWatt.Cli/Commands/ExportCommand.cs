using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Export;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt export ID... --format csv|json|codecarbon</c>: a stored run's samples or epochs as CSV, everything as JSON,
/// or CodeCarbon-compatible <c>emissions.csv</c> rows.
/// </summary>
internal static class ExportCommand
{
    public enum ExportFormat
    {
        Csv,
        Json,
        CodeCarbon,
        Emissions,
    }

    public static Command Create(CliContext context)
    {
        var ids = new Argument<long[]>("ID") { Description = "Run id(s); csv and json take one, codecarbon one row per run.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "csv (samples or epochs), json (everything), codecarbon or emissions (CodeCarbon emissions.csv rows).", Required = true, HelpName = "csv|json|codecarbon|emissions" };
        format.AcceptOnlyFromAmong("csv", "json", "codecarbon", "emissions");
        var table = new Option<string>("--table") { Description = "For csv: samples (default), epochs, or projections (the live STEP projection history).", DefaultValueFactory = _ => "samples", HelpName = "samples|epochs|projections" };
        table.AcceptOnlyFromAmong("samples", "epochs", "projections");
        var output = new Option<string?>("--out") { Description = "Write to FILE instead of stdout. An existing emissions.csv with the same columns gets the rows appended, as CodeCarbon does.", HelpName = "FILE" };
        var intensity = new Option<double?>("--carbon-intensity") { Description = "Grid carbon intensity in gCO2e/kWh (codecarbon).", HelpName = "G_PER_KWH" };
        var country = new Option<string?>("--country") { Description = "Take the carbon intensity from TrainWatt's table for this country (ISO code or name; WORLD for the world average) (codecarbon).", HelpName = "ISO" };
        var pue = new Option<double>("--pue") { Description = "Power usage effectiveness (>= 1) applied to energy_consumed and emissions (codecarbon). Default 1.0, as CodeCarbon.", DefaultValueFactory = _ => 1.0 };
        var project = new Option<string>("--project") { Description = "project_name when the run has no 'project' tag (codecarbon).", DefaultValueFactory = _ => "trainwatt" };
        var db = StoreLocation.CreateOption();

        var command = new Command("export", "Export stored runs: samples/epochs as CSV, everything as JSON, or a CodeCarbon-compatible emissions.csv.");
        command.Arguments.Add(ids);
        foreach (var option in new Option[] { format, table, output, intensity, country, pue, project, db })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            long[] runIds = parse.GetValue(ids) ?? [];
            var chosen = Enum.Parse<ExportFormat>(parse.GetValue(format)!, ignoreCase: true);
            bool carbon = chosen is ExportFormat.CodeCarbon or ExportFormat.Emissions;
            if (!carbon && runIds.Length != 1)
            {
                StoreLocation.DiagnosticRaw(context, $"error: --format {chosen.ToString().ToLowerInvariant()} exports one run; got {runIds.Length} ids. Run the command once per run.");
                return (int)ExitCode.Usage;
            }

            CarbonSettings? settings = null;
            if (carbon && !TryCarbonSettings(context, parse.GetValue(intensity), parse.GetValue(country), parse.GetValue(pue), out settings))
            {
                return (int)ExitCode.Usage;
            }

            return StoreLocation.WithStore(context, parse.GetValue(db), store =>
            {
                var runs = new List<RunDetails>();
                foreach (long id in runIds)
                {
                    var details = store.GetRun(id);
                    if (details is null)
                    {
                        return RunsCommand.NoSuchRun(context, store, id);
                    }

                    runs.Add(details);
                }

                string? outPath = parse.GetValue(output);
                try
                {
                    if (carbon)
                    {
                        return WriteEmissions(context, runs, settings!, parse.GetValue(project)!, outPath);
                    }

                    var details = runs[0];
                    using var target = Open(context, outPath, append: false);
                    if (chosen == ExportFormat.Json)
                    {
                        target.Writer.Flush();
                        RunExporter.WriteJson(target.Stream, details, store.EnumerateSamples(details.Run.Id), store.GetProjections(details.Run.Id));
                    }
                    else if (parse.GetValue(table) == "epochs")
                    {
                        RunExporter.WriteEpochsCsv(target.Writer, details);
                    }
                    else if (parse.GetValue(table) == "projections")
                    {
                        RunExporter.WriteProjectionsCsv(target.Writer, details.Run.Id, store.GetProjections(details.Run.Id));
                    }
                    else
                    {
                        RunExporter.WriteSamplesCsv(target.Writer, details, store.EnumerateSamples(details.Run.Id));
                    }

                    return (int)ExitCode.Success;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    StoreLocation.DiagnosticRaw(context, $"error: cannot write {outPath}: {e.Message}. Choose a writable --out FILE.");
                    return (int)ExitCode.CannotCreate;
                }
            });
        });
        return command;
    }

    private static bool TryCarbonSettings(CliContext context, double? intensity, string? country, double pue, out CarbonSettings? settings)
    {
        settings = null;
        if (!double.IsFinite(pue) || pue < 1.0)
        {
            StoreLocation.DiagnosticRaw(context, $"error: --pue must be at least 1.0 (facility energy / IT energy); got {pue.ToString(CultureInfo.InvariantCulture)}.");
            return false;
        }

        CarbonIntensityEntry? entry = null;
        if (country is not null)
        {
            try
            {
                entry = CarbonIntensityTable.Default.Find(country);
            }
            catch (ReferenceLookupException e)
            {
                StoreLocation.DiagnosticRaw(context, "error: " + e.Message);
                return false;
            }
        }

        if (intensity is { } given)
        {
            if (!double.IsFinite(given) || given < 0)
            {
                StoreLocation.DiagnosticRaw(context, $"error: --carbon-intensity must be a non-negative number of gCO2e/kWh; got {given.ToString(CultureInfo.InvariantCulture)}.");
                return false;
            }

            // An explicit intensity wins; --country then only names the country columns.
            settings = new CarbonSettings(CarbonIntensity.FromGramsPerKilowattHour(given), TrainWatt.Core.ProvenanceText.Name(TrainWatt.Core.Provenance.UserGiven), pue, entry?.Name, entry is { Iso3.Length: > 0 } ? entry.Iso3 : null);
            return true;
        }

        if (entry is null)
        {
            StoreLocation.DiagnosticRaw(context, "error: emissions need a carbon intensity: pass --country ISO (e.g. --country DE, or WORLD for the world average) or --carbon-intensity G_PER_KWH.");
            return false;
        }

        settings = new CarbonSettings(entry.Intensity, entry.Describe(), pue, entry.Name, entry.Iso3.Length > 0 ? entry.Iso3 : null);
        return true;
    }

    private static int WriteEmissions(CliContext context, List<RunDetails> runs, CarbonSettings settings, string project, string? outPath)
    {
        bool append = false;
        if (outPath is not null && File.Exists(outPath))
        {
            string? header;
            using (var reader = new StreamReader(outPath))
            {
                header = reader.ReadLine();
            }

            if (header != CodeCarbonExporter.Header)
            {
                StoreLocation.DiagnosticRaw(context, $"error: {outPath} exists with other columns than TrainWatt's emissions.csv; rows are not appended to it. Give another --out FILE or move it away.");
                return (int)ExitCode.CannotCreate;
            }

            append = true;
        }

        using var target = Open(context, outPath, append);
        CodeCarbonExporter.Write(target.Writer, runs, settings, includeHeader: !append, defaultProject: project);
        return (int)ExitCode.Success;
    }

    private static Target Open(CliContext context, string? path, bool append)
    {
        if (path is null)
        {
            return new Target(context.Out.Profile.Out.Writer, null);
        }

        var stream = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write);
        return new Target(new StreamWriter(stream, new UTF8Encoding(false)), stream);
    }

    /// <summary>stdout (not disposed) or a file (disposed).</summary>
    private sealed class Target(TextWriter writer, FileStream? file) : IDisposable
    {
        public TextWriter Writer { get; } = writer;

        /// <summary>The file, or a stream that forwards UTF-8 bytes to stdout.</summary>
        public Stream Stream => file ?? _stdoutStream.Value;

        private readonly Lazy<Stream> _stdoutStream = new(() => new TextWriterStream(writer));

        public void Dispose()
        {
            if (file is not null)
            {
                Writer.Dispose();
            }
            else
            {
                Writer.Flush();
            }
        }
    }

    /// <summary>Adapts a TextWriter (stdout, a test console) to the byte stream the JSON writer needs.</summary>
    private sealed class TextWriterStream(TextWriter writer) : Stream
    {
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            char[] chars = new char[_decoder.GetCharCount(buffer, offset, count)];
            int n = _decoder.GetChars(buffer, offset, count, chars, 0);
            writer.Write(chars, 0, n);
        }

        public override void Flush() => writer.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
