using System.Globalization;

namespace Analytics.Reports.Exports;

/// <summary>How a column's values are written: the CSV text, the JSON token and the Excel number format follow from it.</summary>
public enum ColumnKind
{
    Text,
    /// <summary>A yyyymm month key, written as <c>YYYY-MM</c>.</summary>
    Month,
    Integer,
    Number,
    Money,
    Flag,
}

/// <summary>
/// One column of an export table: its contract name, its kind, and how to read it from a row.
/// Values are boxed primitives (string, int, double, decimal, bool) or null for an empty cell.
/// </summary>
public sealed record ExportColumn<T>(string Name, ColumnKind Kind, Func<T, object?> Read, bool IsKey = false)
{
    /// <summary>The value as written to CSV: invariant culture, full precision, empty for null.</summary>
    public string CsvText(T row) => FormatInvariant(Kind, Read(row));

    internal static string FormatInvariant(ColumnKind kind, object? value) => value switch
    {
        null => "",
        int month when kind == ColumnKind.Month => Analytics.Domain.Codes.MonthText(month),
        // Non-finite doubles have no plain-number form; they are written empty like a missing statistic.
        double d when !double.IsFinite(d) => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => DecimalScale.Normalize(m).ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A whole export table: file name, columns in contract order, and its key order.</summary>
public sealed class ExportTable<T>
{
    public ExportTable(string name, IReadOnlyList<ExportColumn<T>> columns)
    {
        Name = name;
        Columns = columns;
        Keys = [.. columns.Where(c => c.IsKey)];
    }

    /// <summary>File name without extension (<c>outcomes</c> → outcomes.csv / outcomes.json).</summary>
    public string Name { get; }

    public IReadOnlyList<ExportColumn<T>> Columns { get; }

    public IReadOnlyList<ExportColumn<T>> Keys { get; }

    public string HeaderLine => string.Join(',', Columns.Select(c => c.Name));

    /// <summary>The rows ordered by the key columns in listed order (ordinal for text, numeric for months and numbers).</summary>
    public IReadOnlyList<T> Sorted(IEnumerable<T> rows)
    {
        var list = rows.ToList();
        list.Sort(Compare);
        return list;
    }

    public int Compare(T? a, T? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }
        foreach (var key in Keys)
        {
            var c = CompareValues(key.Read(a), key.Read(b));
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }

    private static int CompareValues(object? x, object? y) => (x, y) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string s, string t) => string.CompareOrdinal(s, t),
        (IComparable c, _) => c.CompareTo(y),
        _ => 0,
    };
}

/// <summary>
/// The same money value has another scale per provider (SQLite text "230.0", PostgreSQL numeric(18,4)
/// "230.0000"); exports write it without trailing zeros so every provider gives the same text.
/// </summary>
internal static class DecimalScale
{
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
}
