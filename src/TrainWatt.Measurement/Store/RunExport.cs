using System.Text;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Export;

using TrainWatt.Core;

namespace TrainWatt.Measurement.Store;

/// <summary>What <c>trainwatt export</c> writes.</summary>
public enum ExportFormat
{
    /// <summary>One run's samples, epochs or projections as CSV (<see cref="ExportTable"/>).</summary>
    Csv,

    /// <summary>One run, everything, as one JSON object (<see cref="RunExporter.WriteJson"/>).</summary>
    Json,

    /// <summary>CodeCarbon-compatible emissions.csv rows, one per run.</summary>
    CodeCarbon,

    /// <summary>The same as <see cref="CodeCarbon"/>.</summary>
    Emissions,

    /// <summary>One run as a BoAmps report (Boavizta's AI energy report JSON, <see cref="BoAmpsExporter"/>).</summary>
    BoAmps,

    /// <summary>One run's energy section of a model card (Hugging Face <c>co2_eq_emissions</c> + Markdown, <see cref="ModelCardExporter"/>).</summary>
    ModelCard,
}

/// <summary>The CSV table of <see cref="ExportFormat.Csv"/>.</summary>
public enum ExportTable
{
    Samples,
    Epochs,
    Projections,
}

/// <summary>The carbon choices of an emissions export: an explicit intensity wins; a country names the country columns (and gives the intensity when none is given).</summary>
/// <param name="Intensity">Grid carbon intensity in gCO2e/kWh (finite, ≥ 0), or null.</param>
/// <param name="Country">A country of TrainWatt's table (ISO code or name; WORLD), or null.</param>
/// <param name="Pue">Power usage effectiveness, ≥ 1; null: the on-prem average preset, the default of <c>measure</c> and <c>carbon</c> too.</param>
public sealed record ExportCarbon(double? Intensity, string? Country, double? Pue = null);

/// <summary>One export.</summary>
/// <param name="RunIds">The runs; <see cref="ExportFormat.Csv"/> and <see cref="ExportFormat.Json"/> take exactly one.</param>
/// <param name="Format">What to write.</param>
/// <param name="Table">For CSV: which table.</param>
/// <param name="OutPath">A file to write (emissions rows are appended to an emissions.csv with the same columns); null for the given writer.</param>
/// <param name="Carbon">For emissions: the carbon choices (required there).</param>
/// <param name="Project">project_name of runs without a 'project' tag.</param>
public sealed record ExportRequest(
    IReadOnlyList<long> RunIds,
    ExportFormat Format,
    ExportTable Table = ExportTable.Samples,
    string? OutPath = null,
    ExportCarbon? Carbon = null,
    string Project = "trainwatt")
{
    /// <summary>True for the CodeCarbon emissions formats.</summary>
    public bool IsEmissions => Format is ExportFormat.CodeCarbon or ExportFormat.Emissions;

    /// <summary>True for the formats that report emissions and so need a carbon intensity (CodeCarbon, model card); BoAmps takes one when given.</summary>
    public bool NeedsCarbon => IsEmissions || Format == ExportFormat.ModelCard;
}

/// <summary>
/// <c>trainwatt export</c>: a stored run's samples or epochs as CSV, everything as JSON, or CodeCarbon-compatible
/// emissions.csv rows, to a file or to the caller's writer. The writers live in TrainWatt.Storage.Export; this picks
/// the runs, the carbon settings and the target.
/// </summary>
public static class RunExport
{
    /// <summary>Writes the export to <see cref="ExportRequest.OutPath"/>, or to <paramref name="output"/> when it is null.</summary>
    /// <exception cref="ArgumentException">The request does not fit its format (several runs for CSV or JSON, no carbon choices for emissions).</exception>
    /// <exception cref="ReferenceLookupException">The country is not in the carbon-intensity table.</exception>
    /// <exception cref="RunNotFoundException">A run is not in the store.</exception>
    /// <exception cref="IOException">The output file cannot be written, or exists with other columns than emissions.csv.</exception>
    public static void Export(ExportRequest request, TextWriter output, string? db, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        if (!request.IsEmissions && request.RunIds.Count != 1)
        {
            throw new ArgumentException($"--format {request.Format.ToString().ToLowerInvariant()} exports one run; got {request.RunIds.Count} ids. Run the command once per run.");
        }

        var carbon = request.NeedsCarbon
            ? CarbonSettingsFor(request.Carbon ?? throw new ArgumentException("an emissions export needs the carbon choices (ExportRequest.Carbon)."))
            : request.Format == ExportFormat.BoAmps ? OptionalCarbon(request.Carbon) : null;
        using var store = StoreSession.Open(db, host);
        var runs = request.RunIds.Select(id => store.GetRun(id) ?? throw RunNotFoundException.ForId(store, id)).ToList();
        bool append = request.IsEmissions && AppendsTo(request.OutPath);
        try
        {
            using var target = Target.Open(output, request.OutPath, append);
            if (request.IsEmissions)
            {
                CodeCarbonExporter.Write(target.Writer, runs, carbon!, includeHeader: !append, defaultProject: request.Project);
                return;
            }

            var details = runs[0];
            long id = details.Run.Id;
            switch (request.Format, request.Table)
            {
                case (ExportFormat.BoAmps, _):
                    target.Writer.Flush();
                    BoAmpsExporter.Write(target.Stream, details, carbon!);
                    target.Stream.Flush();
                    target.Writer.Write('\n');
                    break;
                case (ExportFormat.ModelCard, _):
                    ModelCardExporter.Write(target.Writer, details, carbon!);
                    break;
                case (ExportFormat.Json, _):
                    target.Writer.Flush();
                    RunExporter.WriteJson(target.Stream, details, store.EnumerateSamples(id), store.GetProjections(id));
                    break;
                case (_, ExportTable.Epochs):
                    RunExporter.WriteEpochsCsv(target.Writer, details);
                    break;
                case (_, ExportTable.Projections):
                    RunExporter.WriteProjectionsCsv(target.Writer, id, store.GetProjections(id));
                    break;
                default:
                    RunExporter.WriteSamplesCsv(target.Writer, details, store.EnumerateSamples(id));
                    break;
            }
        }
        catch (Exception e) when (request.OutPath is not null && e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write {request.OutPath}: {e.Message.TrimEnd('.')}. Choose a writable --out FILE.", e);
        }
    }

    /// <summary>
    /// The carbon settings of an emissions export: the given intensity (the country, if any, only names the country
    /// columns), else the country's intensity from TrainWatt's table, else the world average; the given PUE, else the
    /// on-prem average. The defaults are those of <c>measure</c> and <c>carbon</c> (<see cref="FootprintAssumptions.Resolve"/>),
    /// marked as defaults in the source (<see cref="Assumptions"/> states them).
    /// </summary>
    /// <exception cref="ReferenceLookupException">The country is not in the table.</exception>
    public static CarbonSettings CarbonSettingsFor(ExportCarbon carbon)
    {
        ArgumentNullException.ThrowIfNull(carbon);
        var entry = carbon.Country is null ? null : CarbonIntensityTable.Default.Find(carbon.Country);
        string? iso3 = entry is { Iso3.Length: > 0 } ? entry.Iso3 : null;
        double pue = carbon.Pue ?? PueAssumption.Default().Pue.Ratio;
        if (carbon.Intensity is { } given)
        {
            return new CarbonSettings(CarbonIntensity.FromGramsPerKilowattHour(given), ProvenanceText.Name(Provenance.UserGiven), pue, entry?.Name, iso3);
        }

        var (_, intensity) = FootprintAssumptions.Resolve(carbon.Country, null, carbon.Pue);
        return new CarbonSettings(intensity.Intensity, ForExport(intensity.Description), pue, entry?.Name, iso3);
    }

    /// <summary>
    /// The PUE and grid an export assumes, in one line, each with its source (and "[default ...]" when not given); for
    /// a BoAmps report without a country or intensity (it then has no environment section) the PUE only. Null for the
    /// formats without energy totals (csv, json).
    /// </summary>
    public static string? Assumptions(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.NeedsCarbon && request.Format != ExportFormat.BoAmps)
        {
            return null;
        }

        var carbon = request.Carbon ?? new ExportCarbon(null, null);
        var (pue, _) = FootprintAssumptions.Resolve(carbon.Country, null, carbon.Pue);
        if (!request.NeedsCarbon && carbon is { Intensity: null, Country: null })
        {
            return $"assumptions: {ForExport(pue.Description)}";
        }

        var settings = CarbonSettingsFor(carbon);
        return $"assumptions: {ForExport(pue.Description)}; {(carbon.Intensity is null ? settings.Source : $"{settings.Intensity} ({settings.Source})")}";
    }

    /// <summary>A default's hint with export's own options (it has no --region or cloud region).</summary>
    private static string ForExport(string description) => description
        .Replace("pass --country or --region", "pass --country or --carbon-intensity", StringComparison.Ordinal)
        .Replace("pass a PUE or a cloud region to change it", "pass --pue to change it", StringComparison.Ordinal);

    /// <summary>BoAmps' carbon: the given choices when there are any (the country names environment.country), else none (PUE only).</summary>
    private static CarbonSettings OptionalCarbon(ExportCarbon? carbon)
        => carbon is { Intensity: null, Country: null } or null
            ? new CarbonSettings(CarbonIntensity.FromGramsPerKilowattHour(0), "none", carbon?.Pue ?? PueAssumption.Default().Pue.Ratio)
            : CarbonSettingsFor(carbon);

    /// <summary>True when <paramref name="path"/> is an existing emissions.csv of TrainWatt's columns (rows are appended, as CodeCarbon does).</summary>
    private static bool AppendsTo(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return false;
        }

        string? header;
        using (var reader = new StreamReader(path))
        {
            header = reader.ReadLine();
        }

        return header == CodeCarbonExporter.Header
            ? true
            : throw new IOException($"{path} exists with other columns than TrainWatt's emissions.csv; rows are not appended to it. Give another --out FILE or move it away.");
    }

    /// <summary>The caller's writer (flushed, not disposed) or a file (disposed).</summary>
    private sealed class Target(TextWriter writer, FileStream? file) : IDisposable
    {
        private readonly Lazy<Stream> _writerStream = new(() => new TextWriterStream(writer));

        public TextWriter Writer { get; } = writer;

        /// <summary>The file, the caller's stream writer's own stream (flushed before use), or a stream that forwards UTF-8 bytes to the caller's writer.</summary>
        public Stream Stream => file ?? (Writer is StreamWriter { Encoding: UTF8Encoding } stream ? stream.BaseStream : _writerStream.Value);

        public static Target Open(TextWriter output, string? path, bool append)
        {
            if (path is null)
            {
                return new Target(output, null);
            }

            var stream = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write);
            return new Target(new StreamWriter(stream, new UTF8Encoding(false)), stream);
        }

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
