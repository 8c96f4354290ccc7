using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Analytics.Ingest.Bulk;

namespace Analytics.Ingest;

/// <summary>Provider-neutral reading: the same SQL (double-quoted identifiers) runs on all three.</summary>
internal static class DbValues
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const int InListMax = 500;

    public static async IAsyncEnumerable<DbDataReader> QueryAsync(IBulkWriter w, string sql, [EnumeratorCancellation] CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var cmd = w.Command(sql);
        foreach (var (n, v) in parameters) cmd.AddParameter(n, v);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return reader;
    }

    /// <summary>
    /// Rows whose <paramref name="column"/> is one of <paramref name="keys"/>: IN-lists of ≤ 500 parameters
    /// when there are few keys, else one full scan filtered here (cheaper than thousands of round trips).
    /// </summary>
    public static async IAsyncEnumerable<DbDataReader> QueryFilteredAsync(IBulkWriter w, string sql, string column, IEnumerable<string> keys,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var set = keys as IReadOnlyCollection<string> ?? [.. keys];
        if (set.Count == 0) yield break;
        var column0 = -1;
        if (set.Count > 20 * InListMax)
        {
            var lookup = set as ISet<string> ?? new HashSet<string>(set, StringComparer.Ordinal);
            await foreach (var r in QueryAsync(w, sql, ct))
            {
                if (column0 < 0) column0 = r.GetOrdinal(column);
                if (lookup.Contains(r.GetString(column0))) yield return r;
            }
            yield break;
        }
        foreach (var chunk in set.Chunk(InListMax))
        {
            var names = chunk.Select((_, i) => "@k" + i).ToArray();
            var filtered = $"{sql} WHERE {BulkTables.Q(column)} IN ({string.Join(", ", names)})";
            await foreach (var r in QueryAsync(w, filtered, ct, [.. chunk.Select((k, i) => (names[i], (object?)k))])) yield return r;
        }
    }

    public static DateOnly Date(object value) => value switch
    {
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        string s => DateOnly.ParseExact(s.Length > 10 ? s[..10] : s, "yyyy-MM-dd", Inv),
        _ => throw new InvalidCastException($"Not a date: {value.GetType().Name}"),
    };

    /// <summary>A value in one text form whatever the provider returned, for change comparison.</summary>
    public static string Normalize(object? value, BulkType type)
    {
        if (value is null or DBNull) return "";
        return type switch
        {
            BulkType.Date => Date(value).ToString("yyyy-MM-dd", Inv),
            BulkType.Double => Convert.ToDouble(value, Inv).ToString("R", Inv),
            BulkType.Decimal => (value is string s ? decimal.Parse(s, Inv) : Convert.ToDecimal(value, Inv)).ToString("G29", Inv),
            BulkType.Bool => Convert.ToBoolean(value, Inv) ? "true" : "false",
            BulkType.Int or BulkType.Long => Convert.ToInt64(value, Inv).ToString(Inv),
            _ => Convert.ToString(value, Inv) ?? "",
        };
    }
}
