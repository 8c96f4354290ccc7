using MathNet.Numerics.LinearAlgebra;

namespace Analytics.Statistics;

/// <summary>A regression design: the n × p matrix X (usually with an intercept column) and its column names.</summary>
public sealed class DesignMatrix
{
    public const string InterceptName = "(Intercept)";

    public DesignMatrix(Matrix<double> x, IReadOnlyList<string> columnNames)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(columnNames);
        if (columnNames.Count != x.ColumnCount)
            throw new ArgumentException($"{columnNames.Count} names for {x.ColumnCount} columns.", nameof(columnNames));
        if (columnNames.Distinct(StringComparer.Ordinal).Count() != columnNames.Count)
            throw new ArgumentException("Column names must be unique.", nameof(columnNames));
        X = x;
        ColumnNames = columnNames;
    }

    public Matrix<double> X { get; }
    public IReadOnlyList<string> ColumnNames { get; }
    public int Rows => X.RowCount;
    public int Columns => X.ColumnCount;
}

/// <summary>
/// Builds a design from named columns: an intercept, numeric columns as given, and categorical
/// variables as 0/1 indicators of every level present except the reference. An indicator is named
/// <c>name[level]</c> (e.g. <c>protocol[microneedling+prp]</c>, <c>fitzpatrick[3]</c>); columns keep
/// the order in which they were added, levels are in ascending order.
/// </summary>
public sealed class DesignMatrixBuilder
{
    private readonly int _rows;
    private readonly List<string> _names = [DesignMatrix.InterceptName];
    private readonly List<Action<double[,], int>> _fills = [];

    public DesignMatrixBuilder(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        _rows = rows;
        _fills.Add((x, column) =>
        {
            for (var r = 0; r < _rows; r++) x[r, column] = 1;
        });
    }

    public static string IndicatorName(string variable, string level) => $"{variable}[{level}]";

    public DesignMatrixBuilder AddNumeric(string name, IReadOnlyList<double> values)
    {
        CheckLength(values.Count, name);
        foreach (var v in values)
            if (!double.IsFinite(v))
                throw new ArgumentException($"Column '{name}' has a non-finite value.", nameof(values));
        AddName(name);
        _fills.Add((x, column) =>
        {
            for (var r = 0; r < _rows; r++) x[r, column] = values[r];
        });
        return this;
    }

    /// <summary>
    /// Adds indicators for a text categorical. <paramref name="reference"/> defaults to the lowest level
    /// present (ordinal order); an explicit reference must occur in the data.
    /// </summary>
    public DesignMatrixBuilder AddCategorical(string name, IReadOnlyList<string> values, string? reference = null) =>
        AddCategorical(name, values, reference is not null, reference ?? "", StringComparer.Ordinal, level => level);

    /// <summary>
    /// Adds indicators for an integer-coded categorical (e.g. Fitzpatrick type). <paramref name="reference"/>
    /// defaults to the lowest value present; an explicit reference must occur in the data.
    /// </summary>
    public DesignMatrixBuilder AddCategorical(string name, IReadOnlyList<int> values, int? reference = null) =>
        AddCategorical(name, values, reference.HasValue, reference.GetValueOrDefault(), Comparer<int>.Default,
            level => level.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private DesignMatrixBuilder AddCategorical<T>(
        string name, IReadOnlyList<T> values, bool hasReference, T reference, IComparer<T> comparer, Func<T, string> format)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckLength(values.Count, name);
        foreach (var v in values)
            if (v is null) throw new ArgumentException($"Categorical '{name}' has a missing value.", nameof(values));
        var levels = new SortedSet<T>(values, comparer);
        if (levels.Count == 0) throw new ArgumentException($"Categorical '{name}' has no rows.", nameof(values));
        var referenceLevel = hasReference ? reference : levels.Min!;
        if (!levels.Contains(referenceLevel))
            throw new ArgumentException($"Reference level '{format(referenceLevel)}' of '{name}' does not occur in the data.", nameof(reference));

        foreach (var level in levels)
        {
            if (comparer.Compare(level, referenceLevel) == 0) continue;
            AddName(IndicatorName(name, format(level)));
            var captured = level;
            _fills.Add((x, column) =>
            {
                for (var r = 0; r < _rows; r++) x[r, column] = comparer.Compare(values[r], captured) == 0 ? 1 : 0;
            });
        }
        return this;
    }

    public DesignMatrix Build()
    {
        var x = new double[_rows, _names.Count];
        for (var c = 0; c < _fills.Count; c++) _fills[c](x, c);
        return new DesignMatrix(Matrix<double>.Build.DenseOfArray(x), _names.ToArray());
    }

    private void CheckLength(int count, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (count != _rows) throw new ArgumentException($"Column '{name}' has {count} values, the design has {_rows} rows.");
    }

    private void AddName(string name)
    {
        if (_names.Contains(name, StringComparer.Ordinal))
            throw new ArgumentException($"Column '{name}' is already in the design.", nameof(name));
        _names.Add(name);
    }
}
