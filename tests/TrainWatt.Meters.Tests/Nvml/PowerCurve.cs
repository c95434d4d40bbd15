namespace TrainWatt.Meters.Tests.Nvml;

/// <summary>
/// The test's own model of a fake-NVML power curve (piecewise-linear points plus a sine), used as the oracle for the
/// true energy. It integrates numerically (composite Simpson, 0.1 ms steps) rather than reusing the fake's closed form,
/// so a mistake in either shows up as a mismatch.
/// </summary>
internal sealed record PowerCurve((double T, double W)[] Points, double SineAmplitude = 0, double SinePeriod = 1)
{
    public double WattsAt(double t)
    {
        double p;
        if (t <= Points[0].T)
        {
            p = Points[0].W;
        }
        else if (t >= Points[^1].T)
        {
            p = Points[^1].W;
        }
        else
        {
            int i = 0;
            while (t > Points[i + 1].T)
            {
                i++;
            }

            double f = (t - Points[i].T) / (Points[i + 1].T - Points[i].T);
            p = Points[i].W + (f * (Points[i + 1].W - Points[i].W));
        }

        return p + (SineAmplitude * Math.Sin(2 * Math.PI * t / SinePeriod));
    }

    /// <summary>∫ P dt over [from, to] seconds, in J.</summary>
    public double JoulesBetween(double from, double to)
    {
        int n = Math.Max(2, (int)Math.Ceiling((to - from) / 1e-4));
        if (n % 2 == 1)
        {
            n++;
        }

        double h = (to - from) / n;
        double sum = WattsAt(from) + WattsAt(to);
        for (int i = 1; i < n; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * WattsAt(from + (i * h));
        }

        return sum * h / 3;
    }

    public string ScenarioLines()
        => "power_w = " + string.Join(", ", Points.Select(p => FormattableString.Invariant($"{p.T}:{p.W}"))) + "\n"
           + FormattableString.Invariant($"sine_amplitude_w = {SineAmplitude}\nsine_period_s = {SinePeriod}\n");
}
