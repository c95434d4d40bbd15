using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt carbon --energy-kwh X [--country ES | --intensity G] [--pue 1.2 | --cloud gcp:europe-west1]
/// [--price 0.25EUR] [--json]</c>: facility energy, emissions and cost of an IT energy, with the source of every factor.
/// </summary>
internal static class CarbonCommand
{
    public static Command Create(CliContext context)
    {
        var energy = new Option<double>("--energy-kwh") { Description = "IT (device) energy in kWh.", Required = true };
        var country = new Option<string?>("--country") { Description = "Grid country: ISO 3166 code or name (ES, ESP, Spain), WORLD, or a preset key such as ES-2021-PAPER." };
        var intensity = new Option<double?>("--intensity") { Description = "Grid carbon intensity in gCO2e/kWh (instead of --country)." };
        var pue = new Option<string?>("--pue") { Description = "PUE as a number >= 1.0, or a preset: none, desktop, on-prem-average (default, 1.56), carbontracker, green-algorithms-v2." };
        var cloud = new Option<string?>("--cloud") { Description = "Cloud region as provider:region (gcp:europe-west1, aws:us-east-1, azure:westeurope): sets the PUE and, unless given, the grid country." };
        var price = new Option<string?>("--price") { Description = "Electricity price per kWh with an ISO 4217 currency, e.g. 0.25EUR." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout." };
        var command = new Command("carbon", "Facility energy (x PUE), emissions (x grid intensity) and cost of an energy, with sources.");
        foreach (var option in new Option[] { energy, country, intensity, pue, cloud, price, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                return Run(
                    context,
                    parse.GetValue(energy),
                    parse.GetValue(country),
                    parse.GetValue(intensity),
                    parse.GetValue(pue),
                    parse.GetValue(cloud),
                    parse.GetValue(price),
                    parse.GetValue(json));
            }
            catch (ReferenceLookupException ex)
            {
                WriteError(context, ex.Message);
                return (int)ExitCode.Usage;
            }
            catch (FormatException ex)
            {
                WriteError(context, ex.Message);
                return (int)ExitCode.Usage;
            }
        });
        return command;
    }

    private static int Run(CliContext context, double energyKwh, string? country, double? intensity, string? pue, string? cloud, string? price, bool json)
    {
        if (!double.IsFinite(energyKwh) || energyKwh < 0)
        {
            return Fail(context, $"--energy-kwh must be a finite number >= 0; got {energyKwh.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (country is not null && intensity is not null)
        {
            return Fail(context, "Give either --country or --intensity, not both.");
        }

        if (pue is not null && cloud is not null)
        {
            return Fail(context, "Give either --pue or --cloud, not both: a cloud region sets its own PUE.");
        }

        if (intensity is { } g && (!double.IsFinite(g) || g < 0))
        {
            return Fail(context, $"--intensity must be a finite number >= 0 gCO2e/kWh; got {g.ToString(CultureInfo.InvariantCulture)}.");
        }

        CloudRegion? region = cloud is null ? null : CloudRegionTable.Default.Find(cloud);
        if (region is { Provider: "preset" })
        {
            return Fail(context, $"\"{cloud}\" is a PUE preset, not a cloud region; pass it as --pue {region.Region}.");
        }

        PueAssumption pueAssumption;
        if (region is not null)
        {
            pueAssumption = PueAssumption.From(region);
        }
        else if (pue is null)
        {
            pueAssumption = PueAssumption.Default();
        }
        else if (double.TryParse(pue, NumberStyles.Float, CultureInfo.InvariantCulture, out double ratio))
        {
            if (!PowerUsageEffectiveness.TryFromRatio(ratio, out _, out string? error))
            {
                return Fail(context, "--pue: " + error);
            }

            pueAssumption = PueAssumption.Given(ratio);
        }
        else
        {
            var preset = CloudRegionTable.Default.Find(pue);
            if (preset.Provider != "preset")
            {
                return Fail(context, $"\"{pue}\" is a cloud region; pass it as --cloud {preset.Key}.");
            }

            pueAssumption = PueAssumption.From(preset);
        }

        IntensityAssumption intensityAssumption;
        if (intensity is { } given)
        {
            intensityAssumption = IntensityAssumption.Given(given);
        }
        else if (country is not null)
        {
            intensityAssumption = IntensityAssumption.From(CarbonIntensityTable.Default.Find(country));
        }
        else if (region is not null)
        {
            var entry = CarbonIntensityTable.Default.Find(region.Country);
            intensityAssumption = IntensityAssumption.From(entry) with
            {
                Description = $"{entry.Describe()} [grid of {region.Key}]",
            };
        }
        else
        {
            var world = CarbonIntensityTable.Default.World;
            intensityAssumption = IntensityAssumption.From(world) with
            {
                Description = $"{world.Describe()} [default; pass --country or --intensity to change it]",
            };
        }

        ElectricityPrice? electricityPrice = price is null ? null : ElectricityPrice.Parse(price);
        var result = FootprintCalculator.Compute(Energy.FromKilowattHours(energyKwh), pueAssumption, intensityAssumption, electricityPrice);
        context.WriteData(json ? ToJson(result) : ToText(result));
        return (int)ExitCode.Success;
    }

    private static int Fail(CliContext context, string message)
    {
        WriteError(context, message);
        return (int)ExitCode.Usage;
    }

    private static string ToText(FootprintResult r)
    {
        var sb = new StringBuilder();
        void Line(string label, string value) => sb.Append(label.PadRight(17)).Append(value).Append('\n');
        Line("IT energy", $"{Num(r.ItEnergy.KilowattHours)} kWh");
        Line("PUE", r.Pue.Description);
        Line("Facility energy", $"{Num(r.FacilityEnergy.KilowattHours)} kWh");
        Line("Grid intensity", r.Intensity!.Description);
        Line("Emissions", $"{Num(r.Emissions!.Value.Grams)} gCO2e");
        if (r.Cost is { } cost)
        {
            Line("Cost", $"{cost} (at {r.Price})");
        }

        return sb.ToString();
    }

    private static string ToJson(FootprintResult r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("it_energy_kwh", r.ItEnergy.KilowattHours);
            w.WriteNumber("it_energy_j", r.ItEnergy.Joules);
            w.WriteNumber("pue", r.Pue.Pue.Ratio);
            w.WriteString("pue_source", r.Pue.Description);
            w.WriteNumber("facility_energy_kwh", r.FacilityEnergy.KilowattHours);
            w.WriteNumber("facility_energy_j", r.FacilityEnergy.Joules);
            w.WriteNumber("intensity_gco2e_per_kwh", r.Intensity!.Intensity.GramsPerKilowattHour);
            w.WriteString("intensity_source", r.Intensity.Description);
            w.WriteNumber("emissions_gco2e", r.Emissions!.Value.Grams);
            if (r.Cost is { } cost)
            {
                w.WriteNumber("price_per_kwh", r.Price!.PerKilowattHour);
                w.WriteString("currency", cost.Currency);
                w.WriteNumber("cost", cost.Amount);
            }
            else
            {
                w.WriteNull("price_per_kwh");
                w.WriteNull("currency");
                w.WriteNull("cost");
            }

            w.WriteStartArray("assumptions");
            foreach (string a in r.Assumptions)
            {
                w.WriteStringValue(a);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Num(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>One diagnostic line to stderr, unwrapped, so a long message stays one line whatever the terminal width.</summary>
    private static void WriteError(CliContext context, string message) => context.Error.Profile.Out.Writer.WriteLine(message);
}
