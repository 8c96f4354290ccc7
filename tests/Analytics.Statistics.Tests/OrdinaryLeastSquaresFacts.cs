using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace Analytics.Statistics.Tests;

public class OrdinaryLeastSquaresFacts
{
    // A small protocol-comparison data set with protocol and Fitzpatrick type as categories, generated with
    // numpy's default_rng(20261124) by Reference/reference_values.py, which also prints every expected value here.
    private static readonly string[] Protocols =
    [
        "microneedling", "microneedling+prp", "microneedling+chemical_peel", "microneedling+chemical_peel",
        "microneedling+prp", "microneedling", "microneedling+prp", "microneedling+prp", "microneedling+prp",
        "microneedling+prp", "microneedling", "microneedling+chemical_peel", "microneedling",
        "microneedling+chemical_peel", "microneedling", "microneedling+prp", "microneedling+chemical_peel",
        "microneedling+chemical_peel", "microneedling", "microneedling+prp", "microneedling+prp",
        "microneedling+chemical_peel", "microneedling", "microneedling+prp",
    ];
    private static readonly int[] Fitzpatrick = [2, 3, 4, 4, 4, 3, 2, 4, 3, 4, 2, 2, 2, 3, 3, 2, 2, 3, 2, 2, 4, 4, 2, 2];
    private static readonly double[] Baseline =
        [9.1, 5.9, 9.2, 4.6, 10.0, 5.5, 6.3, 8.3, 8.3, 8.4, 9.9, 6.9, 7.7, 4.1, 5.8, 7.1, 10.7, 5.8, 4.8, 9.7, 9.9, 8.8, 9.1, 10.9];
    private static readonly double[] Age =
        [49, 47, 43, 23, 22, 23, 25, 42, 45, 54, 23, 56, 41, 40, 21, 35, 35, 47, 58, 21, 47, 58, 49, 35];
    private static readonly double[] Sessions = [4, 2, 5, 3, 4, 5, 6, 2, 4, 4, 4, 6, 6, 6, 2, 6, 4, 2, 3, 5, 6, 5, 2, 3];
    private static readonly double[] Improvement =
    [
        51.48, 57.9, 58.24, 41.98, 45.66, 37.72, 52.64, 55.36, 47.53, 62.3, 39.74, 46.01, 41.62, 28.89, 23.93,
        56.55, 52.01, 39.12, 40.72, 49.94, 50.19, 62.05, 44.42, 52.68,
    ];

    // /usr/bin/python3, statsmodels 0.13.5: m = sm.OLS(y, X).fit() with X = [1, peel, prp, baseline, fitz3, fitz4, age,
    // sessions]; rows are (name, m.params, m.bse, interval low, high, m.pvalues). df_resid = 16,
    // rsquared = 0.6961180504307544, sqrt(scale) = 6.396925508627884. The interval is params ∓ t(0.975, 16) × bse with
    // t solved in mpmath (40 digits): Debian's scipy 1.10.1 t.ppf, which conf_int uses, is off by ~1e-9 relative.
    private static readonly (string Name, double Estimate, double Se, double Low, double High, double P)[] Statsmodels =
    [
        ("(Intercept)", 24.2245622681489, 9.713840393212214, 3.6321405427888567, 44.81698399350895, 0.023970353105908164),
        ("protocol[microneedling+chemical_peel]", 5.142182796960702, 3.8940263718172634, -3.1127843439620286, 13.397149937883432, 0.20523637866864416),
        ("protocol[microneedling+prp]", 11.171637838841313, 3.554805605983958, 3.6357865970144987, 18.70748908066813, 0.0062909996728015855),
        ("baseline", 0.960333925864225, 0.8200530576985958, -0.7781008967936213, 2.6987687485220713, 0.2587191251428167),
        ("fitzpatrick[3]", -6.450651946896067, 4.057490190548871, -15.052146903378876, 2.150843009586742, 0.13143917116697967),
        ("fitzpatrick[4]", 1.3192743032676493, 3.490192294700224, -6.079602837568546, 8.718151444103844, 0.7104022879989893),
        ("age", 0.28315428702791084, 0.1095767219692374, 0.05086201345403045, 0.5154465606017913, 0.01997623726950464),
        ("sessions", -0.06287286580665086, 0.9734069622080396, -2.126403443290337, 2.0006577116770354, 0.9493001484780792),
    ];

    private static DesignMatrixBuilder ContractDesign() =>
        new DesignMatrixBuilder(Improvement.Length)
            .AddCategorical("protocol", Protocols, reference: "microneedling")
            .AddNumeric("baseline", Baseline)
            .AddCategorical("fitzpatrick", Fitzpatrick)
            .AddNumeric("age", Age)
            .AddNumeric("sessions", Sessions);

    [Fact]
    public void Builder_names_columns_and_uses_the_reference_levels()
    {
        var design = ContractDesign().Build();

        Assert.Equal(Statsmodels.Select(s => s.Name), design.ColumnNames);
        Assert.Equal(1.0, design.X[1, 2]); // row 1 is microneedling+prp
        Assert.Equal(0.0, design.X[1, 1]);
        Assert.Equal(1.0, design.X[1, 4]); // row 1 is Fitzpatrick 3
        Assert.All(Enumerable.Range(0, design.Rows), r => Assert.Equal(1.0, design.X[r, 0]));
    }

    [Fact]
    public void Matches_statsmodels_with_categorical_variables()
    {
        var fit = OrdinaryLeastSquares.Fit(ContractDesign().Build(), Improvement);

        Assert.Equal(24, fit.N);
        Assert.Equal(8, fit.Rank);
        Assert.Equal(16, fit.ResidualDegreesOfFreedom);
        Assert.Empty(fit.DroppedColumns);
        Assert.Equal(0.6961180504307544, fit.RSquared!.Value, 1e-10);
        Assert.Equal(6.396925508627884, fit.ResidualStandardError!.Value, 1e-8);
        foreach (var expected in Statsmodels) AssertCoefficient(expected, fit[expected.Name]);
    }

    [Fact]
    public void A_duplicated_column_is_dropped_and_the_rest_match_the_full_rank_fit()
    {
        var doubledBaseline = Baseline.Select(b => 2 * b).ToArray();
        var design = ContractDesign().AddNumeric("baseline_x2", doubledBaseline).Build();

        var fit = OrdinaryLeastSquares.Fit(design, Improvement);

        Assert.Equal(["baseline_x2"], fit.DroppedColumns);
        var dropped = fit["baseline_x2"];
        Assert.True(dropped.Aliased);
        Assert.Null(dropped.Estimate);
        Assert.Null(dropped.StandardError);
        Assert.Equal(16, fit.ResidualDegreesOfFreedom);
        foreach (var expected in Statsmodels) AssertCoefficient(expected, fit[expected.Name]);
    }

    [Fact]
    public void A_column_aliased_with_earlier_indicators_is_dropped_in_design_order()
    {
        // "not_reference" = peel + prp: it is the later column, so it is the one dropped (as R's lm does).
        var notReference = Protocols.Select(p => p == "microneedling" ? 0.0 : 1.0).ToArray();
        var design = ContractDesign().AddNumeric("not_reference", notReference).Build();

        var fit = OrdinaryLeastSquares.Fit(design, Improvement);

        Assert.Equal(["not_reference"], fit.DroppedColumns);
        foreach (var expected in Statsmodels) AssertCoefficient(expected, fit[expected.Name]);
    }

    [Fact]
    public void More_columns_than_rows_keeps_the_first_n_independent_columns_with_no_standard_errors()
    {
        // n = 3, p = 4: intercept, x1, x2 span R³ and x3 is aliased; residual df = 0 so the fit is exact.
        // numpy.linalg.solve([[1,1,3],[1,2,1],[1,4,2]], [2,5,3]) = [7.0, -0.2, -1.6].
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 1, 3, 5 }, { 1, 2, 1, 0 }, { 1, 4, 2, 7 } });
        var design = new DesignMatrix(x, ["(Intercept)", "x1", "x2", "x3"]);

        var fit = OrdinaryLeastSquares.Fit(design, [2.0, 5.0, 3.0]);

        Assert.Equal(["x3"], fit.DroppedColumns);
        Assert.Equal(3, fit.Rank);
        Assert.Equal(0, fit.ResidualDegreesOfFreedom);
        Assert.Null(fit.ResidualStandardError);
        Assert.Equal(7.0, fit["(Intercept)"].Estimate!.Value, 10);
        Assert.Equal(-0.2, fit["x1"].Estimate!.Value, 10);
        Assert.Equal(-1.6, fit["x2"].Estimate!.Value, 10);
        Assert.All(fit.Coefficients, c =>
        {
            Assert.Null(c.StandardError);
            Assert.Null(c.CiLow);
            Assert.Null(c.PValue);
        });
        Assert.Equal(1.0, fit.RSquared!.Value, 10);
    }

    [Fact]
    public void As_many_rows_as_columns_is_an_exact_fit_without_standard_errors()
    {
        // Two points (1, 3) and (2, 5): the line through them is y = 1 + 2x (by hand); residual df = 0.
        var fit = OrdinaryLeastSquares.Fit(new DesignMatrixBuilder(2).AddNumeric("x", [1.0, 2]).Build(), [3.0, 5]);

        Assert.Empty(fit.DroppedColumns);
        Assert.Equal(0, fit.ResidualDegreesOfFreedom);
        Assert.Equal(1.0, fit["(Intercept)"].Estimate!.Value, 12);
        Assert.Equal(2.0, fit["x"].Estimate!.Value, 12);
        Assert.Null(fit["x"].StandardError);
        Assert.Null(fit["x"].PValue);
    }

    [Fact]
    public void A_constant_response_has_no_r_squared()
    {
        var fit = OrdinaryLeastSquares.Fit(new DesignMatrixBuilder(4).AddNumeric("x", [1.0, 2, 3, 5]).Build(), [7.0, 7, 7, 7]);

        Assert.Null(fit.RSquared);
        Assert.Equal(0.0, fit["x"].Estimate!.Value, 12);
        Assert.Equal(7.0, fit["(Intercept)"].Estimate!.Value, 12);
    }

    [Fact]
    public void Simple_regression_matches_the_textbook_formulas()
    {
        // y = a + b x on x = 1..5, y = {2, 4, 5, 4, 5}: Sxx = 10, Sxy = 6, b = 0.6, a = 4 − 0.6 × 3 = 2.2,
        // RSS = 2.4, σ² = 2.4 / 3 = 0.8, SE(b) = √(0.8 / 10), SE(a) = √(0.8 × (1/5 + 9/10)), R² = 1 − 2.4 / 6 = 0.6.
        var design = new DesignMatrixBuilder(5).AddNumeric("x", [1.0, 2, 3, 4, 5]).Build();

        var fit = OrdinaryLeastSquares.Fit(design, [2.0, 4, 5, 4, 5]);

        Assert.Equal(0.6, fit["x"].Estimate!.Value, 12);
        Assert.Equal(2.2, fit["(Intercept)"].Estimate!.Value, 12);
        Assert.Equal(Math.Sqrt(0.08), fit["x"].StandardError!.Value, 12);
        Assert.Equal(Math.Sqrt(0.8 * 1.1), fit["(Intercept)"].StandardError!.Value, 12);
        Assert.Equal(0.6, fit.RSquared!.Value, 12);
        Assert.Equal(2.4, fit.ResidualSumOfSquares, 12);
    }

    [Fact]
    public void A_constant_column_besides_the_intercept_is_dropped()
    {
        var design = new DesignMatrixBuilder(5)
            .AddNumeric("x", [1.0, 2, 3, 4, 5])
            .AddCategorical("fitzpatrick", [3, 3, 3, 3, 3])
            .AddNumeric("sessions", [4.0, 4, 4, 4, 4])
            .Build();

        var fit = OrdinaryLeastSquares.Fit(design, [2.0, 4, 5, 4, 5]);

        // A single Fitzpatrick type is the reference and adds no indicator; constant sessions are aliased.
        Assert.Equal(["(Intercept)", "x", "sessions"], design.ColumnNames);
        Assert.Equal(["sessions"], fit.DroppedColumns);
        Assert.Equal(0.6, fit["x"].Estimate!.Value, 12);
    }

    [Fact]
    public void Unknown_names_and_missing_reference_levels_are_errors()
    {
        var fit = OrdinaryLeastSquares.Fit(ContractDesign().Build(), Improvement);

        Assert.Throws<KeyNotFoundException>(() => fit["protocol[laser]"]);
        Assert.False(fit.TryGetCoefficient("protocol[microneedling]", out _));
        Assert.Throws<ArgumentException>(() =>
            new DesignMatrixBuilder(2).AddCategorical("protocol", ["microneedling+prp", "microneedling+laser"], reference: "microneedling"));
    }

    [Fact]
    public void Design_and_response_lengths_must_agree()
    {
        Assert.Throws<ArgumentException>(() => new DesignMatrixBuilder(3).AddNumeric("x", [1.0, 2]));
        var design = new DesignMatrixBuilder(3).AddNumeric("x", [1.0, 2, 3]).Build();
        Assert.Throws<ArgumentException>(() => OrdinaryLeastSquares.Fit(design, [1.0, 2]));
    }

    private static void AssertCoefficient(
        (string Name, double Estimate, double Se, double Low, double High, double P) expected, OlsCoefficient actual)
    {
        Assert.False(actual.Aliased);
        Assert.Equal(expected.Estimate, actual.Estimate!.Value, 1e-8);
        Assert.Equal(expected.Se, actual.StandardError!.Value, 1e-8);
        Assert.Equal(expected.Low, actual.CiLow!.Value, 1e-9);
        Assert.Equal(expected.High, actual.CiHigh!.Value, 1e-9);
        Assert.Equal(expected.P, actual.PValue!.Value, 1e-9);
        Assert.Equal(expected.Estimate / expected.Se, actual.TStatistic!.Value, 1e-7);
    }
}
