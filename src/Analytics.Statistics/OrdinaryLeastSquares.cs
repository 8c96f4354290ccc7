using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Analytics.Statistics;

/// <summary>
/// One coefficient of a fit. An <see cref="Aliased"/> coefficient (its column is a linear
/// combination of earlier columns) has every statistic null, like R's <c>lm</c> reporting NA.
/// Standard error, t, interval and p are null when the residual degrees of freedom are 0; with a
/// perfect fit (standard error 0) the interval is the estimate itself and t and p are null.
/// </summary>
public sealed record OlsCoefficient(
    string Name,
    double? Estimate,
    double? StandardError,
    double? TStatistic,
    double? CiLow,
    double? CiHigh,
    double? PValue,
    bool Aliased);

/// <summary>The result of <see cref="OrdinaryLeastSquares.Fit"/>; coefficients are in design-column order.</summary>
public sealed class OlsFit
{
    private readonly Dictionary<string, OlsCoefficient> _byName;

    internal OlsFit(
        IReadOnlyList<OlsCoefficient> coefficients, int n, int rank, double residualSumOfSquares,
        double? residualStandardError, double? rSquared)
    {
        Coefficients = coefficients;
        _byName = coefficients.ToDictionary(c => c.Name, StringComparer.Ordinal);
        N = n;
        Rank = rank;
        ResidualSumOfSquares = residualSumOfSquares;
        ResidualStandardError = residualStandardError;
        RSquared = rSquared;
        DroppedColumns = coefficients.Where(c => c.Aliased).Select(c => c.Name).ToArray();
    }

    public IReadOnlyList<OlsCoefficient> Coefficients { get; }

    /// <summary>Names of the aliased columns that were left out of the fit (empty for a full-rank design).</summary>
    public IReadOnlyList<string> DroppedColumns { get; }

    public int N { get; }

    /// <summary>Number of columns actually estimated.</summary>
    public int Rank { get; }

    /// <summary>N − Rank.</summary>
    public int ResidualDegreesOfFreedom => N - Rank;

    public double ResidualSumOfSquares { get; }

    /// <summary>σ̂ = √(RSS / (N − Rank)); null when the residual df are 0.</summary>
    public double? ResidualStandardError { get; }

    /// <summary>1 − RSS / Σ(y − ȳ)² (centred: the design is assumed to hold an intercept); null when y is constant.</summary>
    public double? RSquared { get; }

    /// <summary>The coefficient of a design column by name (e.g. <c>protocol[microneedling+prp]</c>).</summary>
    /// <exception cref="KeyNotFoundException">The design has no such column.</exception>
    public OlsCoefficient this[string name] =>
        _byName.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"The design has no column '{name}'.");

    public bool TryGetCoefficient(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OlsCoefficient? coefficient) =>
        _byName.TryGetValue(name, out coefficient);
}

/// <summary>
/// Ordinary least squares via Householder QR: coefficients, standard errors from
/// σ̂² = RSS / (n − rank), t-based intervals and two-sided p-values with n − rank df, and R².
/// </summary>
/// <remarks>
/// Rank deficiency is handled as R's <c>lm</c> does: columns are taken in design order and a
/// column is aliased when the part of it not explained by the columns kept before it has a norm
/// below <see cref="AliasTolerance"/> × its own norm (a zero column always is). Aliased columns
/// are dropped from the fit and reported with null statistics, so the remaining coefficients are
/// those of the model without them. With n ≤ p at most n columns are kept; when the residual df
/// are 0 the estimates are exact-fit values and every standard error, interval and p-value is null.
/// </remarks>
public static class OrdinaryLeastSquares
{
    /// <summary>Relative tolerance for aliasing (R's <c>lm</c> uses 1e-7).</summary>
    public const double AliasTolerance = 1e-7;

    public static OlsFit Fit(DesignMatrix design, IReadOnlyList<double> y, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(y);
        Guard.Confidence(confidence);
        var n = design.Rows;
        if (y.Count != n) throw new ArgumentException($"y has {y.Count} values, the design has {n} rows.", nameof(y));
        if (n == 0) throw new ArgumentException("Cannot fit a model to no rows.", nameof(y));
        var yVector = Vector<double>.Build.Dense(n, i => y[i]);
        if (!yVector.ForAll(double.IsFinite)) throw new ArgumentException("y has a non-finite value.", nameof(y));
        if (!design.X.ForAll(double.IsFinite)) throw new ArgumentException("The design has a non-finite value.", nameof(design));

        var qr = HouseholderQr.Factor(design.X);
        var kept = qr.Kept;
        var p = design.Columns;
        var coefficients = new OlsCoefficient[p];
        var df = n - kept.Count;

        double rss;
        double[] beta;
        double[,]? rInverse = null;
        var yValues = yVector.AsArray() ?? yVector.ToArray();
        if (kept.Count == 0)
        {
            beta = [];
            rss = yVector.DotProduct(yVector);
        }
        else
        {
            beta = qr.Solve(yValues);
            // Residuals from the data (not from Qᵀy), so an exact fit gives exactly zero where the arithmetic allows.
            var residuals = (double[])yValues.Clone();
            for (var c = 0; c < kept.Count; c++)
            {
                var column = qr.Column(kept[c]);
                var b = beta[c];
                for (var r = 0; r < n; r++) residuals[r] -= b * column[r];
            }
            rss = 0;
            foreach (var e in residuals) rss += e * e;
            if (df > 0) rInverse = qr.RInverse();
        }
        double? sigma = df > 0 ? Math.Sqrt(rss / df) : null;
        var tCritical = df > 0 ? TQuantile.TwoSided(confidence, df) : double.NaN;

        var keptIndex = 0;
        for (var j = 0; j < p; j++)
        {
            var name = design.ColumnNames[j];
            if (keptIndex >= kept.Count || kept[keptIndex] != j)
            {
                coefficients[j] = new OlsCoefficient(name, null, null, null, null, null, null, Aliased: true);
                continue;
            }
            var estimate = beta[keptIndex];
            if (sigma is { } s && rInverse is not null)
            {
                // Var(β̂) = σ² (RᵀR)⁻¹ = σ² R⁻¹R⁻ᵀ, whose j-th diagonal entry is σ² ‖row j of R⁻¹‖².
                var rowSquares = 0.0;
                for (var c = keptIndex; c < kept.Count; c++) rowSquares += rInverse[keptIndex, c] * rInverse[keptIndex, c];
                var se = s * Math.Sqrt(rowSquares);
                double? t = se > 0 ? estimate / se : null;
                double? pValue = t is { } tv ? Math.Min(1, 2 * StudentT.CDF(0, 1, df, -Math.Abs(tv))) : null;
                coefficients[j] = new OlsCoefficient(
                    name, estimate, se, t, estimate - tCritical * se, estimate + tCritical * se, pValue, Aliased: false);
            }
            else
            {
                coefficients[j] = new OlsCoefficient(name, estimate, null, null, null, null, null, Aliased: false);
            }
            keptIndex++;
        }

        var mean = yVector.Average();
        var tss = yVector.Subtract(mean).DotProduct(yVector.Subtract(mean));
        double? rSquared = tss > 0 ? 1 - rss / tss : null;
        return new OlsFit(coefficients, n, kept.Count, rss, sigma, rSquared);
    }
}

/// <summary>
/// Householder QR with R's in-order pivoting, in one pass over one copy of the design: column j is kept when,
/// after projecting out the columns already kept, the norm left (|R_jj|) is at least
/// <see cref="OrdinaryLeastSquares.AliasTolerance"/> × ‖x_j‖ (a zero column never is). Each candidate gets
/// the reflections of the kept columns applied; only a kept column adds a reflection, so selection and
/// factorisation cost O(n·p²) together (instead of one new QR per candidate column).
/// </summary>
internal sealed class HouseholderQr
{
    private readonly int _n;
    private readonly double[] _x; // column-major design
    private readonly List<double[]> _reflections = []; // v_k (entries k..n−1 used), scaled so that H_k = I − v vᵀ
    private readonly List<double[]> _r = []; // column k of R: entries 0..k

    private HouseholderQr(int n, double[] x)
    {
        _n = n;
        _x = x;
    }

    /// <summary>Indices of the kept design columns, in order.</summary>
    public List<int> Kept { get; } = [];

    public ReadOnlySpan<double> Column(int j) => _x.AsSpan(j * _n, _n);

    public static HouseholderQr Factor(Matrix<double> x)
    {
        var n = x.RowCount;
        var qr = new HouseholderQr(n, x.ToColumnMajorArray());
        var work = new double[n];
        for (var j = 0; j < x.ColumnCount; j++)
        {
            var k = qr.Kept.Count;
            if (k >= n) break; // the kept columns already span every direction of Rⁿ
            qr.Column(j).CopyTo(work);
            var norm = Norm(work, 0, n);
            if (!(norm > 0)) continue;
            for (var i = 0; i < k; i++) Reflect(qr._reflections[i], i, work);
            var rest = Norm(work, k, n);
            if (!(rest >= OrdinaryLeastSquares.AliasTolerance * norm)) continue;
            qr.Kept.Add(j);
            var alpha = work[k] >= 0 ? -rest : rest;
            var rColumn = new double[k + 1];
            Array.Copy(work, rColumn, k);
            rColumn[k] = alpha;
            qr._r.Add(rColumn);
            var v = new double[n];
            v[k] = work[k] - alpha; // |v_k| ≥ rest > 0
            Array.Copy(work, k + 1, v, k + 1, n - k - 1);
            var scale = Math.Sqrt(2) / Norm(v, k, n);
            for (var r = k; r < n; r++) v[r] *= scale;
            qr._reflections.Add(v);
        }
        return qr;
    }

    /// <summary>The least-squares coefficients of the kept columns: R β = (Qᵀy)[0..m).</summary>
    public double[] Solve(double[] y)
    {
        var qty = (double[])y.Clone();
        for (var i = 0; i < _reflections.Count; i++) Reflect(_reflections[i], i, qty);
        var m = Kept.Count;
        var beta = new double[m];
        for (var i = m - 1; i >= 0; i--)
        {
            var sum = qty[i];
            for (var c = i + 1; c < m; c++) sum -= _r[c][i] * beta[c];
            beta[i] = sum / _r[i][i];
        }
        return beta;
    }

    /// <summary>R⁻¹ (upper triangular, m × m), by back substitution per column.</summary>
    public double[,] RInverse()
    {
        var m = Kept.Count;
        var inverse = new double[m, m];
        for (var c = 0; c < m; c++)
        {
            inverse[c, c] = 1 / _r[c][c];
            for (var i = c - 1; i >= 0; i--)
            {
                var sum = 0.0;
                for (var t = i + 1; t <= c; t++) sum += _r[t][i] * inverse[t, c];
                inverse[i, c] = -sum / _r[i][i];
            }
        }
        return inverse;
    }

    private static void Reflect(double[] v, int from, double[] w)
    {
        var dot = 0.0;
        for (var r = from; r < w.Length; r++) dot += v[r] * w[r];
        if (dot == 0) return;
        for (var r = from; r < w.Length; r++) w[r] -= dot * v[r];
    }

    // Scaled two-norm (no overflow or underflow for extreme column scales).
    private static double Norm(double[] w, int from, int to)
    {
        var max = 0.0;
        for (var r = from; r < to; r++) max = Math.Max(max, Math.Abs(w[r]));
        if (max == 0 || !double.IsFinite(max)) return max;
        var sum = 0.0;
        for (var r = from; r < to; r++)
        {
            var t = w[r] / max;
            sum += t * t;
        }
        return max * Math.Sqrt(sum);
    }
}
