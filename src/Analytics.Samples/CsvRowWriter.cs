using System.Text;

namespace Analytics.Samples;

/// <summary>
/// Buffered RFC 4180 writer (CRLF line ends, fields quoted only when they hold a comma,
/// quote or line break) that counts physical lines, so planted rows can be located.
/// Generated fields never contain line breaks, so one row is one physical line.
/// </summary>
public sealed class CsvRowWriter : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly StreamWriter _writer;

    public CsvRowWriter(string path, IReadOnlyList<string> header)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new StreamWriter(stream, Utf8NoBom, 1 << 17) { NewLine = "\r\n" };
        WriteRow(header);
    }

    /// <summary>Physical lines written so far; the header is line 1.</summary>
    public int Lines { get; private set; }

    public int DataRows => Lines - 1;

    /// <summary>Writes one row and returns its physical line number.</summary>
    public int WriteRow(IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) _writer.Write(',');
            WriteField(fields[i]);
        }
        _writer.WriteLine();
        return ++Lines;
    }

    private void WriteField(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _writer.Write(value);
            return;
        }
        _writer.Write('"');
        _writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Splits one physical CSV line (no embedded line breaks) into fields, undoing RFC 4180 quoting.</summary>
    public static List<string> SplitLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
