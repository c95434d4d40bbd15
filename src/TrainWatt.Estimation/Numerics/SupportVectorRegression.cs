namespace TrainWatt.Estimation.Numerics;

/// <summary>
/// ε-SVR with an RBF kernel, solved by SMO with libsvm's second-order working-set selection (Fan, Chen and Lin 2005)
/// and libsvm's stopping rule (maximal violation &lt; tolerance, default 1e-3). No shrinking. f(x) = Σ_i β_i k(x_i, x) + b.
/// </summary>
public sealed class SupportVectorRegression
{
    private SupportVectorRegression(double[][] vectors, double[] coefficients, double intercept, double gamma, int iterations)
    {
        Vectors = vectors;
        Coefficients = coefficients;
        Intercept = intercept;
        Gamma = gamma;
        Iterations = iterations;
    }

    /// <summary>Support vectors (rows with a non-zero coefficient).</summary>
    public double[][] Vectors { get; }

    /// <summary>Dual coefficients α_i − α_i* of <see cref="Vectors"/>.</summary>
    public double[] Coefficients { get; }

    /// <summary>b = −ρ.</summary>
    public double Intercept { get; }

    public double Gamma { get; }

    /// <summary>SMO iterations used.</summary>
    public int Iterations { get; }

    public static SupportVectorRegression Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> t, double c, double epsilon, double gamma, double tolerance = 1e-3, int maxIterations = 1_000_000)
    {
        if (!(c > 0) || !(epsilon >= 0) || !(gamma > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(c), "C and gamma must be > 0 and epsilon >= 0.");
        }

        int l = x.Count;
        int n2 = 2 * l;
        var (unique, index) = Kernels.Distinct(x);
        var ku = Kernels.Gram(unique, gamma);
        var sign = new double[n2];
        var alpha = new double[n2];
        var grad = new double[n2];
        for (int i = 0; i < l; i++)
        {
            sign[i] = 1;
            sign[i + l] = -1;
            grad[i] = epsilon - t[i];
            grad[i + l] = epsilon + t[i];
        }

        // u[s]: distinct-row index of variable s (both halves map to the same data row).
        var u = new int[n2];
        for (int s = 0; s < n2; s++)
        {
            u[s] = index[s % l];
        }

        int m = unique.Length;
        var kRowI = new double[m];
        var kRowJ = new double[m];
        var kDelta = new double[m];
        const double Tau = 1e-12;
        int iter = 0;
        while (iter < maxIterations)
        {
            // Select i: maximal violator.
            double gmax = double.NegativeInfinity;
            int iSel = -1;
            for (int s = 0; s < n2; s++)
            {
                if (sign[s] > 0)
                {
                    if (alpha[s] < c && -grad[s] >= gmax)
                    {
                        gmax = -grad[s];
                        iSel = s;
                    }
                }
                else if (alpha[s] > 0 && grad[s] >= gmax)
                {
                    gmax = grad[s];
                    iSel = s;
                }
            }

            if (iSel >= 0)
            {
                for (int v = 0; v < m; v++)
                {
                    kRowI[v] = ku[u[iSel], v];
                }
            }

            double si = iSel >= 0 ? sign[iSel] : 0;
            double gmax2 = double.NegativeInfinity;
            int jSel = -1;
            double objMin = double.PositiveInfinity;
            for (int s = 0; s < n2; s++)
            {
                if (sign[s] > 0)
                {
                    if (alpha[s] > 0)
                    {
                        double diff = gmax + grad[s];
                        if (grad[s] >= gmax2)
                        {
                            gmax2 = grad[s];
                        }

                        if (diff > 0 && iSel >= 0)
                        {
                            double quad = 2.0 - 2.0 * si * si * sign[s] * kRowI[u[s]];
                            double obj = -(diff * diff) / (quad > 0 ? quad : Tau);
                            if (obj <= objMin)
                            {
                                jSel = s;
                                objMin = obj;
                            }
                        }
                    }
                }
                else if (alpha[s] < c)
                {
                    double diff = gmax - grad[s];
                    if (-grad[s] >= gmax2)
                    {
                        gmax2 = -grad[s];
                    }

                    if (diff > 0 && iSel >= 0)
                    {
                        double quad = 2.0 + 2.0 * si * si * sign[s] * kRowI[u[s]];
                        double obj = -(diff * diff) / (quad > 0 ? quad : Tau);
                        if (obj <= objMin)
                        {
                            jSel = s;
                            objMin = obj;
                        }
                    }
                }
            }

            if (gmax + gmax2 < tolerance || iSel < 0 || jSel < 0)
            {
                break;
            }

            iter++;
            int a = iSel, b = jSel;
            double qab = sign[a] * sign[b] * kRowI[u[b]];
            double oldA = alpha[a], oldB = alpha[b];
            if (sign[a] != sign[b])
            {
                double quad = 2.0 + 2.0 * qab;
                double delta = (-grad[a] - grad[b]) / (quad > 0 ? quad : Tau);
                double diff = alpha[a] - alpha[b];
                alpha[a] += delta;
                alpha[b] += delta;
                if (diff > 0)
                {
                    if (alpha[b] < 0)
                    {
                        alpha[b] = 0;
                        alpha[a] = diff;
                    }
                }
                else if (alpha[a] < 0)
                {
                    alpha[a] = 0;
                    alpha[b] = -diff;
                }

                if (diff > 0)
                {
                    if (alpha[a] > c)
                    {
                        alpha[a] = c;
                        alpha[b] = c - diff;
                    }
                }
                else if (alpha[b] > c)
                {
                    alpha[b] = c;
                    alpha[a] = c + diff;
                }
            }
            else
            {
                double quad = 2.0 - 2.0 * qab;
                double delta = (grad[a] - grad[b]) / (quad > 0 ? quad : Tau);
                double sum = alpha[a] + alpha[b];
                alpha[a] -= delta;
                alpha[b] += delta;
                if (sum > c)
                {
                    if (alpha[a] > c)
                    {
                        alpha[a] = c;
                        alpha[b] = sum - c;
                    }
                }
                else if (alpha[b] < 0)
                {
                    alpha[b] = 0;
                    alpha[a] = sum;
                }

                if (sum > c)
                {
                    if (alpha[b] > c)
                    {
                        alpha[b] = c;
                        alpha[a] = sum - c;
                    }
                }
                else if (alpha[a] < 0)
                {
                    alpha[a] = 0;
                    alpha[b] = sum;
                }
            }

            double dA = (alpha[a] - oldA) * sign[a], dB = (alpha[b] - oldB) * sign[b];
            for (int v = 0; v < m; v++)
            {
                kRowJ[v] = ku[u[b], v];
            }

            // grad[s] += Q(a, s)·ΔαA + Q(b, s)·ΔαB with Q(i, s) = sign_i·sign_s·K(i, s); K(i, s) depends on s only through u[s].
            for (int v = 0; v < m; v++)
            {
                kDelta[v] = kRowI[v] * dA + kRowJ[v] * dB;
            }

            for (int s = 0; s < l; s++)
            {
                double d = kDelta[u[s]];
                grad[s] += d;
                grad[s + l] -= d;
            }
        }

        // ρ as libsvm's calculate_rho.
        double ub = double.PositiveInfinity, lb = double.NegativeInfinity, sumFree = 0;
        int free = 0;
        for (int s = 0; s < n2; s++)
        {
            double yg = sign[s] * grad[s];
            if (alpha[s] >= c)
            {
                if (sign[s] < 0)
                {
                    ub = Math.Min(ub, yg);
                }
                else
                {
                    lb = Math.Max(lb, yg);
                }
            }
            else if (alpha[s] <= 0)
            {
                if (sign[s] > 0)
                {
                    ub = Math.Min(ub, yg);
                }
                else
                {
                    lb = Math.Max(lb, yg);
                }
            }
            else
            {
                free++;
                sumFree += yg;
            }
        }

        double rho = free > 0 ? sumFree / free : (ub + lb) / 2;
        var vectors = new List<double[]>();
        var coefs = new List<double>();
        for (int i = 0; i < l; i++)
        {
            double beta = alpha[i] - alpha[i + l];
            if (beta != 0)
            {
                vectors.Add(x[i]);
                coefs.Add(beta);
            }
        }

        return new SupportVectorRegression(vectors.ToArray(), coefs.ToArray(), -rho, gamma, iter);
    }

    public double Predict(double[] z)
    {
        double s = Intercept;
        for (int i = 0; i < Vectors.Length; i++)
        {
            s += Coefficients[i] * Kernels.Rbf(z, Vectors[i], Gamma);
        }

        return s;
    }
}
