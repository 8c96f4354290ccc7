using System.Text;
using System.Text.Json;
using Analytics.Domain;

namespace Analytics.Reports.Exports;

public enum ExportFormat
{
    Csv,
    Json,
}

/// <summary>
/// Writes the report tables as CSV (RFC 4180, UTF-8 without BOM, CRLF line ends) or JSON (an
/// array of objects with the CSV column names), one file per table, each written atomically.
/// Rows are sorted here by their key columns, whatever order they came in.
/// </summary>
public static class TableExportWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the six contract tables (outcomes, satisfaction, safety, activity, revenue, protocol_comparison).</summary>
    public static async Task<IReadOnlyList<string>> WriteAllAsync(ReportTables tables, string directory, ExportFormat format,
        CancellationToken cancellationToken = default)
    {
        return
        [
            await WriteAsync(ExportTables.Outcomes, tables.Outcomes, directory, format, cancellationToken).ConfigureAwait(false),
            await WriteAsync(ExportTables.Satisfaction, tables.Satisfaction, directory, format, cancellationToken).ConfigureAwait(false),
            await WriteAsync(ExportTables.Safety, tables.Safety, directory, format, cancellationToken).ConfigureAwait(false),
            await WriteAsync(ExportTables.Activity, tables.Activity, directory, format, cancellationToken).ConfigureAwait(false),
            await WriteAsync(ExportTables.Revenue, tables.Revenue, directory, format, cancellationToken).ConfigureAwait(false),
            await WriteAsync(ExportTables.ProtocolComparison, tables.ProtocolComparison, directory, format, cancellationToken).ConfigureAwait(false),
        ];
    }

    /// <summary>Writes models, feature_importance, observed_expected and what_if.</summary>
    public static async Task<IReadOnlyList<string>> WriteModelsAsync(ModelReport models, string directory, ExportFormat format,
        CancellationToken cancellationToken = default)
    {
        return
        [
            await WriteAsync(ExportTables.Models, models.Models, directory, format, cancellationToken).ConfigureAwait(false),
            await WriteAsync(ExportTables.FeatureImportance, models.FeatureImportances, directory, format, cancellationToken).ConfigureAwait(false),
            await WriteAsync(ExportTables.ObservedExpected, models.ObservedExpected, directory, format, cancellationToken).ConfigureAwait(false),
            await WriteAsync(ExportTables.WhatIf, models.WhatIf, directory, format, cancellationToken).ConfigureAwait(false),
        ];
    }

    /// <summary>Writes one table to <c>directory/name.csv</c> (or .json) and returns the path.</summary>
    public static async Task<string> WriteAsync<T>(ExportTable<T> table, IEnumerable<T> rows, string directory, ExportFormat format,
        CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(directory, table.Name + (format == ExportFormat.Csv ? ".csv" : ".json"));
        var sorted = table.Sorted(rows);
        await AtomicFile.WriteAsync(path, stream =>
        {
            if (format == ExportFormat.Csv)
            {
                using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true);
                WriteCsv(table, sorted, writer);
            }
            else
            {
                WriteJson(table, sorted, stream);
            }
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>CSV of the rows in the order given (callers sort with <see cref="ExportTable{T}.Sorted"/>).</summary>
    public static void WriteCsv<T>(ExportTable<T> table, IEnumerable<T> rows, TextWriter writer)
    {
        writer.Write(table.HeaderLine);
        writer.Write("\r\n");
        var columns = table.Columns;
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }
                WriteField(writer, columns[i].CsvText(row));
            }
            writer.Write("\r\n");
        }
    }

    public static string ToCsv<T>(ExportTable<T> table, IEnumerable<T> rows)
    {
        using var writer = new StringWriter();
        WriteCsv(table, table.Sorted(rows), writer);
        return writer.ToString();
    }

    public static void WriteJson<T>(ExportTable<T> table, IEnumerable<T> rows, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            foreach (var column in table.Columns)
            {
                var value = column.Read(row);
                json.WritePropertyName(column.Name);
                switch (value)
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case int month when column.Kind == ColumnKind.Month:
                        json.WriteStringValue(Codes.MonthText(month));
                        break;
                    case double d when !double.IsFinite(d):
                        json.WriteNullValue();
                        break;
                    case double d:
                        // The same shortest round-trip text as the CSV, so both parse to the same double.
                        json.WriteRawValue(column.CsvText(row), skipInputValidation: true);
                        break;
                    case decimal m:
                        json.WriteNumberValue(DecimalScale.Normalize(m));
                        break;
                    case int i:
                        json.WriteNumberValue(i);
                        break;
                    case bool b:
                        json.WriteBooleanValue(b);
                        break;
                    default:
                        json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.Flush();
    }

    /// <summary>RFC 4180: quote a field that holds a comma, quote, CR or LF, doubling inner quotes.</summary>
    private static void WriteField(TextWriter writer, string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(text);
            return;
        }
        writer.Write('"');
        writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}
