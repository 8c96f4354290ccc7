using System.Text;

namespace Analytics.Benchmarks;

/// <summary>
/// A minimal RFC 4180 record reader for the bench's own work (splitting off the pulled month, the insert floor):
/// quoted fields, doubled quotes, line breaks inside quotes. No validation: that is the importer's job.
/// </summary>
public sealed class CsvRecords(TextReader reader)
{
    private readonly StringBuilder _field = new();
    private readonly StringBuilder _raw = new();

    /// <summary>The raw text of the last record read, without its line break.</summary>
    public string Raw => _raw.ToString();

    public bool Read(List<string> fields, bool keepRaw = false)
    {
        fields.Clear();
        _field.Clear();
        _raw.Clear();
        var c = reader.Read();
        if (c < 0) return false;
        var quoted = false;
        var atFieldStart = true;
        while (true)
        {
            if (c < 0)
            {
                fields.Add(_field.ToString());
                return true;
            }
            var ch = (char)c;
            if (quoted)
            {
                if (keepRaw) _raw.Append(ch);
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        if (keepRaw) _raw.Append('"');
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    _field.Append(ch);
                }
            }
            else if (ch == ',')
            {
                if (keepRaw) _raw.Append(ch);
                fields.Add(_field.ToString());
                _field.Clear();
                atFieldStart = true;
                c = reader.Read();
                continue;
            }
            else if (ch == '\n' || ch == '\r')
            {
                if (ch == '\r' && reader.Peek() == '\n') reader.Read();
                fields.Add(_field.ToString());
                return true;
            }
            else if (ch == '"' && atFieldStart)
            {
                if (keepRaw) _raw.Append(ch);
                quoted = true;
            }
            else
            {
                if (keepRaw) _raw.Append(ch);
                _field.Append(ch);
            }
            atFieldStart = false;
            c = reader.Read();
        }
    }

    public static StreamReader Open(string file) =>
        new(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
}
