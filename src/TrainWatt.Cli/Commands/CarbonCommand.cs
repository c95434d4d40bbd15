using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Units;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt carbon</c>'s options.</summary>
/// <param name="EnergyKwh">--energy-kwh: IT energy, finite and ≥ 0.</param>
/// <param name="Country">--country, or null.</param>
/// <param name="Intensity">--intensity in gCO2e/kWh, or null.</param>
/// <param name="Pue">--pue: a ratio or a preset, or null.</param>
/// <param name="Cloud">--cloud provider:region, or null.</param>
/// <param name="PriceText">--price as written (e.g. 0.25EUR), or null; <see cref="Price"/> reads it.</param>
/// <param name="Json">--json.</param>
internal sealed record CarbonCommandSettings(double EnergyKwh, string? Country, double? Intensity, PueChoice? Pue, string? Cloud, string? PriceText, bool Json) : ICommandSettings
{
    public ElectricityPrice? Price => PriceText is null ? null : ElectricityPrice.Parse(PriceText);

    public FootprintChoices Choices => new(Country, Intensity, Pue, Cloud, Price);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!double.IsFinite(EnergyKwh) || EnergyKwh < 0)
        {
            problems.Add($"--energy-kwh must be a finite number >= 0; got {OptionValues.Text(EnergyKwh)}.");
        }
        else if (EnergyKwh > FootprintCalculator.MaxEnergyKilowattHours)
        {
            problems.Add($"--energy-kwh must be at most 1e12 kWh (1,000 TWh); got {OptionValues.Text(EnergyKwh)}.");
        }

        problems.AddRange(new FootprintChoices(Country, Intensity, Pue, Cloud).Validate());
        try
        {
            _ = Price;
        }
        catch (FormatException e)
        {
            problems.Add(e.Message);
        }

        return problems;
    }
}

/// <summary>
/// <c>trainwatt carbon --energy-kwh X [--country ES | --intensity G] [--pue 1.2 | --cloud gcp:europe-west1]
/// [--price 0.25EUR] [--json]</c>: facility energy, emissions and cost of an IT energy, with the source of every factor
/// (<see cref="FootprintAssumptions"/>). Problems are printed as bare messages (no "error:"), exit 64.
/// </summary>
internal static class CarbonCommand
{
    public static Command Create(CliContext context)
    {
        var energy = new Option<double>("--energy-kwh") { Description = "IT (device) energy in kWh.", Required = true };
        var country = new Option<string?>("--country") { Description = "Grid country: ISO 3166 code or name (ES, ESP, Spain), WORLD, or a preset key such as ES-2021-PAPER." };
        var intensity = new Option<double?>("--intensity") { Description = "Grid carbon intensity in gCO2e/kWh (instead of --country)." };
        var pue = new Option<PueChoice?>("--pue")
        {
            Description = "PUE as a number >= 1.0, or a preset: none, desktop, on-prem-average (default, 1.56), carbontracker, green-algorithms-v2.",
            CustomParser = result => PueChoice.Parse(result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty),
        };
        var cloud = new Option<string?>("--cloud") { Description = "Cloud region as provider:region (gcp:europe-west1, aws:us-east-1, azure:westeurope): sets the PUE and, unless given, the grid country." };
        var price = new Option<string?>("--price") { Description = "Electricity price per kWh with an ISO 4217 currency, e.g. 0.25EUR." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout." };
        var command = new Command("carbon", "Facility energy (x PUE), emissions (x grid intensity) and cost of an energy, with sources.");
        foreach (var option in new Option[] { energy, country, intensity, pue, cloud, price, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Failures.Run(context, () =>
        {
            var settings = new CarbonCommandSettings(parse.GetValue(energy), parse.GetValue(country), parse.GetValue(intensity), parse.GetValue(pue),
                parse.GetValue(cloud), parse.GetValue(price), parse.GetValue(json)).ThrowIfInvalid();
            var result = FootprintAssumptions.Compute(Energy.FromKilowattHours(settings.EnergyKwh), settings.Choices);
            context.WriteData(settings.Json ? CliJson.Write(Json(result), IndentedJsonContext.Default.CarbonJson) : Text(result));
            return (int)ExitCode.Success;
        }, prefix: ""));
        return command;
    }

    private static string Text(FootprintResult r)
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

    private static CarbonJson Json(FootprintResult r) => new(
        r.ItEnergy.KilowattHours,
        r.ItEnergy.Joules,
        r.Pue.Pue.Ratio,
        r.Pue.Description,
        r.FacilityEnergy.KilowattHours,
        r.FacilityEnergy.Joules,
        r.Intensity!.Intensity.GramsPerKilowattHour,
        r.Intensity.Description,
        r.Emissions!.Value.Grams,
        r.Cost is null ? null : r.Price!.PerKilowattHour,
        r.Cost?.Currency,
        r.Cost?.Amount,
        r.Assumptions);

    private static string Num(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
