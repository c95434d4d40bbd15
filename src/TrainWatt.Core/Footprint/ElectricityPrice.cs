using System.Globalization;

namespace TrainWatt.Core.Footprint;

/// <summary>An electricity price per kWh in one currency (ISO 4217 code, e.g. EUR).</summary>
/// <param name="PerKilowattHour">Price of one kWh, ≥ 0.</param>
/// <param name="Currency">Three-letter ISO 4217 currency code, upper case.</param>
public sealed record ElectricityPrice(decimal PerKilowattHour, string Currency)
{
    /// <summary>The highest price accepted per kWh (any currency): keeps a cost within the range of decimal.</summary>
    public const decimal MaxPerKilowattHour = 1_000_000m;

    /// <summary>Validated constructor: a non-negative price and a three-letter currency code.</summary>
    public static ElectricityPrice Of(decimal perKilowattHour, string currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        string code = currency.Trim().ToUpperInvariant();
        if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException($"Currency must be a three-letter ISO 4217 code such as EUR or USD; got \"{currency}\".", nameof(currency));
        }

        if (perKilowattHour < 0 || perKilowattHour > MaxPerKilowattHour)
        {
            throw new ArgumentOutOfRangeException(nameof(perKilowattHour), perKilowattHour,
                $"An electricity price must be from 0 to 1,000,000 per kWh; got {perKilowattHour.ToString(CultureInfo.InvariantCulture)}.");
        }

        return new ElectricityPrice(perKilowattHour, code);
    }

    /// <summary>Parses "0.25EUR", "0.25 EUR" or "EUR 0.25" (invariant culture, '.' decimal separator).</summary>
    /// <exception cref="FormatException">The text is not a price; the message shows the expected form.</exception>
    public static ElectricityPrice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        int firstLetter = t.Length > 0 && char.IsAsciiLetter(t[0]) ? 0 : t.TakeWhile(c => !char.IsAsciiLetter(c)).Count();
        string number, currency;
        if (firstLetter == 0)
        {
            int letters = t.TakeWhile(char.IsAsciiLetter).Count();
            currency = t[..letters];
            number = t[letters..];
        }
        else
        {
            number = t[..firstLetter];
            currency = t[firstLetter..];
        }

        if (!decimal.TryParse(number.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal price)
            || currency.Trim().Length != 3 || !currency.Trim().All(char.IsAsciiLetter))
        {
            throw new FormatException($"\"{text}\" is not an electricity price; write the price per kWh and an ISO 4217 currency code, e.g. 0.25EUR.");
        }

        if (price > MaxPerKilowattHour)
        {
            throw new FormatException($"\"{text}\": an electricity price must be at most 1,000,000 per kWh.");
        }

        return Of(price, currency);
    }

    /// <summary>Cost of an amount of energy at this price.</summary>
    public Money CostOf(double kilowattHours) => new((decimal)kilowattHours * PerKilowattHour, Currency);

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{PerKilowattHour} {Currency}/kWh");
}

/// <summary>An amount of money in one currency.</summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount:0.00##} {Currency}");
}
