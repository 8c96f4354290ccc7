using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Analytics.Domain;

namespace Analytics.Ingest;

/// <summary>Why a row was rejected: the first failing rule, with the column it concerns.</summary>
public sealed record RowError(string? Column, string Code, string Message);

/// <summary>Where each contract column sits in a file's header.</summary>
internal sealed class ColumnMap
{
    private ColumnMap(InputKind kind, int[] index, IReadOnlyList<string> missing, IReadOnlyList<string> extra)
    {
        Kind = kind;
        Index = index;
        MissingRequired = missing;
        Extra = extra;
    }

    public InputKind Kind { get; }
    /// <summary>Header position per contract column (contract order), −1 when the column is absent.</summary>
    public int[] Index { get; }
    public IReadOnlyList<string> MissingRequired { get; }
    public IReadOnlyList<string> Extra { get; }

    public static ColumnMap Create(InputKind kind, IReadOnlyList<string> header)
    {
        var columns = InputSpecs.Columns(kind);
        var names = header.Select((h, i) => (Name: h.Trim().TrimStart('\uFEFF').ToLowerInvariant(), i)).ToList();
        var index = columns.Select(c => names.FindIndex(n => n.Name == c) is var k and >= 0 ? names[k].i : -1).ToArray();
        var missing = InputSpecs.Required(kind).Where(c => index[IndexOf(columns, c)] < 0).ToList();
        var extra = names.Where(n => n.Name.Length > 0 && !columns.Contains(n.Name)).Select(n => header[n.i].Trim()).ToList();
        return new ColumnMap(kind, index, missing, extra);
    }

    public int PatientRefPosition => Index[IndexOf(InputSpecs.Columns(Kind), "patient_ref")];

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == item) return i;
        return -1;
    }
}

/// <summary>A row's fields looked up by contract column, trimmed.</summary>
internal readonly struct RowFields(string[] raw, int[] index)
{
    public string this[int contractColumn]
    {
        get
        {
            var i = index[contractColumn];
            return i < 0 || i >= raw.Length ? "" : raw[i].Trim();
        }
    }
}

internal sealed class SessionRecord
{
    public required string Id;
    public required string ClinicId;
    public string? ClinicName;
    public required string PractitionerId;
    public required string PatientId;
    public int? BirthYear;
    public string? Sex;
    public int? Fitzpatrick;
    public required string CourseId;
    public required string Concern;
    public string? Area;
    public DateOnly Date;
    public string? Device;
    public double? NeedleDepth;
    public int? Passes;
    public required string[] Adjuncts;
    public required string[] AdverseEvents;
    public double? Downtime;
    public decimal? Price;
    public string? Currency;
}

internal sealed class AssessmentRecord
{
    public required string Id;
    public required string PatientId;
    public required string CourseId;
    public required Instrument Instrument;
    public DateOnly Date;
    public required string Timepoint;
    public double Score;
    public string? AssessorId;
}

internal sealed class SatisfactionRecord
{
    public required string Id;
    public required string PatientId;
    public string? CourseId;
    public string? SessionId;
    public DateOnly Date;
    public required string Instrument;
    public double Score;
}

/// <summary>The row-level rules of the contract ("Rules for bad input") that need no other row.</summary>
internal sealed class RowValidator(DateOnly asOf, PatientPseudonymiser pseudonymiser)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public DateOnly AsOf { get; } = asOf;

    /// <summary>The same rules with their own hash buffers, for another thread.</summary>
    public RowValidator WithOwnBuffers() => new(AsOf, pseudonymiser);

    // Contract column positions (see InputSpecs).
    private const int SId = 0, SClinic = 1, SClinicName = 2, SPractitioner = 3, SPatient = 4, SBirth = 5, SSex = 6, SFitz = 7,
        SCourse = 8, SConcern = 9, SArea = 10, SDate = 11, SDevice = 12, SDepth = 13, SPasses = 14, SCombination = 15,
        SAdverse = 16, SDowntime = 17, SPrice = 18, SCurrency = 19;
    private const int AId = 0, APatient = 1, ACourse = 2, AInstrument = 3, ADate = 4, ATimepoint = 5, AScore = 6, AAssessor = 7;
    private const int RId = 0, RPatient = 1, RCourse = 2, RSession = 3, RDate = 4, RInstrument = 5, RScore = 6;
    private static readonly int[] SessionRequiredAt = [SId, SClinic, SPractitioner, SPatient, SCourse, SConcern, SDate];
    private static readonly int[] AssessmentRequiredAt = [AId, APatient, ACourse, AInstrument, ADate, ATimepoint, AScore];
    private static readonly int[] SatisfactionRequiredAt = [RId, RPatient, RDate, RInstrument, RScore];

    public RowError? Session(RowFields f, out SessionRecord? row)
    {
        row = null;
        var cols = InputSpecs.SessionColumns;
        foreach (var c in SessionRequiredAt)
        {
            if (f[c].Length == 0) return Required(cols[c]);
        }
        int? birth = null, fitz = null, passes = null;
        double? depth = null, downtime = null;
        decimal? price = null;
        if (f[SBirth].Length > 0 && (Int(f, SBirth, cols, 1900, AsOf.Year, out birth) is { } e1)) return e1;
        if (f[SSex].Length > 0 && !Codes.Sexes.Contains(f[SSex])) return Unknown(cols[SSex], f[SSex], Codes.Sexes);
        if (f[SFitz].Length > 0 && (Int(f, SFitz, cols, 1, 6, out fitz) is { } e2)) return e2;
        if (!Codes.Concerns.Contains(f[SConcern])) return Unknown(cols[SConcern], f[SConcern], Codes.Concerns);
        if (f[SArea].Length > 0 && !Codes.Areas.Contains(f[SArea])) return Unknown(cols[SArea], f[SArea], Codes.Areas);
        if (Date(f[SDate], cols[SDate], out var date) is { } e3) return e3;
        if (f[SDevice].Length > 0 && !Codes.Devices.Contains(f[SDevice])) return Unknown(cols[SDevice], f[SDevice], Codes.Devices);
        if (f[SDepth].Length > 0 && (Real(f, SDepth, cols, 0.1, 3.5, out depth) is { } e4)) return e4;
        if (f[SPasses].Length > 0 && (Int(f, SPasses, cols, 1, 20, out passes) is { } e5)) return e5;
        if (List(f[SCombination], cols[SCombination], Codes.Adjuncts, out var adjuncts) is { } e6) return e6;
        if (List(f[SAdverse], cols[SAdverse], Codes.AdverseEvents, out var adverse) is { } e7) return e7;
        if (f[SDowntime].Length > 0 && (Real(f, SDowntime, cols, 0, 60, out downtime) is { } e8)) return e8;
        if (f[SPrice].Length > 0)
        {
            if (!decimal.TryParse(f[SPrice], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, Inv, out var p))
                return new RowError("price", RejectReasons.BadNumber, $"price '{f[SPrice]}' is not a number");
            if (p < 0) return new RowError("price", RejectReasons.OutOfRange, $"price {f[SPrice]} is negative");
            price = p;
        }
        if (f[SCurrency].Length > 0 && !IsCurrency(f[SCurrency]))
            return new RowError("currency", RejectReasons.UnknownCode, $"currency '{f[SCurrency]}' is not a 3-letter upper-case ISO 4217 code");
        if (price is not null && f[SCurrency].Length == 0)
            return new RowError("currency", RejectReasons.PriceWithoutCurrency, "price is given without currency");
        row = new SessionRecord
        {
            Id = f[SId], ClinicId = f[SClinic], ClinicName = NullIfEmpty(f[SClinicName]), PractitionerId = f[SPractitioner],
            PatientId = pseudonymiser.Pseudonym(f[SPatient]), BirthYear = birth, Sex = NullIfEmpty(f[SSex]), Fitzpatrick = fitz,
            CourseId = f[SCourse], Concern = f[SConcern], Area = NullIfEmpty(f[SArea]), Date = date, Device = NullIfEmpty(f[SDevice]),
            NeedleDepth = depth, Passes = passes, Adjuncts = adjuncts, AdverseEvents = adverse, Downtime = downtime, Price = price,
            Currency = NullIfEmpty(f[SCurrency]),
        };
        return null;
    }

    public RowError? Assessment(RowFields f, out AssessmentRecord? row)
    {
        row = null;
        var cols = InputSpecs.AssessmentColumns;
        foreach (var c in AssessmentRequiredAt)
        {
            if (f[c].Length == 0) return Required(cols[c]);
        }
        var instrument = InstrumentCatalog.Find(f[AInstrument]);
        if (instrument is null) return Unknown(cols[AInstrument], f[AInstrument], InstrumentCatalog.Clinical.Select(i => i.Code).ToList());
        if (Date(f[ADate], cols[ADate], out var date) is { } e1) return e1;
        if (!Codes.Timepoints.Contains(f[ATimepoint])) return Unknown(cols[ATimepoint], f[ATimepoint], Codes.Timepoints);
        if (Real(f, AScore, cols, instrument.Min, instrument.Max, out var score) is { } e2) return e2;
        if (instrument.Kind == InstrumentKind.Global && f[ATimepoint] == Codes.Baseline)
            return new RowError("timepoint", RejectReasons.GlobalAtBaseline, $"{instrument.Code} is a global scale: it is not scored at baseline");
        row = new AssessmentRecord
        {
            Id = f[AId], PatientId = pseudonymiser.Pseudonym(f[APatient]), CourseId = f[ACourse], Instrument = instrument,
            Date = date, Timepoint = f[ATimepoint], Score = score!.Value, AssessorId = NullIfEmpty(f[AAssessor]),
        };
        return null;
    }

    public RowError? Satisfaction(RowFields f, out SatisfactionRecord? row)
    {
        row = null;
        var cols = InputSpecs.SatisfactionColumns;
        foreach (var c in SatisfactionRequiredAt)
        {
            if (f[c].Length == 0) return Required(cols[c]);
        }
        if (Date(f[RDate], cols[RDate], out var date) is { } e1) return e1;
        var instrument = InstrumentCatalog.FindSatisfaction(f[RInstrument]);
        if (instrument is null) return Unknown(cols[RInstrument], f[RInstrument], InstrumentCatalog.Satisfaction.Select(i => i.Code).ToList());
        if (Real(f, RScore, cols, instrument.Min, instrument.Max, out var score) is { } e2) return e2;
        row = new SatisfactionRecord
        {
            Id = f[RId], PatientId = pseudonymiser.Pseudonym(f[RPatient]), CourseId = NullIfEmpty(f[RCourse]),
            SessionId = NullIfEmpty(f[RSession]), Date = date, Instrument = instrument.Code, Score = score!.Value,
        };
        return null;
    }

    /// <summary>A session row's session_id, course_id and session_date texts (trimmed), unvalidated.</summary>
    public static (string Id, string CourseId, string DateText) SessionOrderFields(RowFields f) => (f[SId], f[SCourse], f[SDate]);

    /// <summary>yyyymm of the row's own date where it parses (for per-month data-quality notes).</summary>
    public static int? MonthOf(InputKind kind, RowFields f)
    {
        var text = kind switch { InputKind.Sessions => f[SDate], InputKind.Assessments => f[ADate], _ => f[RDate] };
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? Codes.MonthKey(d) : null;
    }

    public static string? ClinicOf(InputKind kind, RowFields f) => kind == InputKind.Sessions ? NullIfEmpty(f[SClinic]) : null;

    public static string? CourseOf(InputKind kind, RowFields f) => NullIfEmpty(kind switch
    {
        InputKind.Sessions => f[SCourse],
        InputKind.Assessments => f[ACourse],
        _ => f[RCourse],
    });

    private readonly StringBuilder _canonical = new(512);
    private byte[] _utf8 = new byte[2048];

    /// <summary>
    /// The first 128 bits of the SHA-256 of the row's contract fields in canonical form: contract column
    /// order, trimmed, lists sorted and de-duplicated, patient_ref replaced by its pseudonym. Equal = same content.
    /// Stored as 32 hex characters in ContentHash.
    /// </summary>
    public UInt128 ContentHash(InputKind kind, RowFields f)
    {
        var cols = InputSpecs.Columns(kind);
        var sb = _canonical.Clear();
        sb.Append(InputSpecs.Name(kind));
        for (var c = 0; c < cols.Count; c++)
        {
            sb.Append('\u001f');
            var v = f[c];
            switch (cols[c])
            {
                case "patient_ref":
                    if (v.Length > 0) sb.Append(pseudonymiser.Pseudonym(v));
                    break;
                case "combination" or "adverse_events":
                    if (v.Contains(';')) sb.AppendJoin(';', SplitList(v).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
                    else sb.Append(v);
                    break;
                default:
                    sb.Append(v);
                    break;
            }
        }
        var max = Encoding.UTF8.GetMaxByteCount(sb.Length);
        if (_utf8.Length < max) _utf8 = new byte[max];
        var n = 0;
        foreach (var chunk in sb.GetChunks()) n += Encoding.UTF8.GetBytes(chunk.Span, _utf8.AsSpan(n));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(_utf8.AsSpan(0, n), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash);
    }

    /// <summary>The first 128 bits of a hex content hash.</summary>
    public static UInt128 HashKey(string hex) =>
        hex.Length >= 32 ? UInt128.Parse(hex.AsSpan(0, 32), NumberStyles.HexNumber, Inv) : 0;

    internal static IEnumerable<string> SplitList(string v) =>
        v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static RowError Required(string column) => new(column, RejectReasons.Required, $"required column {column} is empty");

    private static RowError Unknown(string column, string value, IReadOnlyList<string> allowed) =>
        new(column, RejectReasons.UnknownCode, $"{column} '{value}' is not one of {string.Join(", ", allowed)}");

    private RowError? Date(string text, string column, out DateOnly date)
    {
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", Inv, DateTimeStyles.None, out date))
            return new RowError(column, RejectReasons.BadDate, $"{column} '{text}' is not a date YYYY-MM-DD");
        if (date.Year < 1900) return new RowError(column, RejectReasons.OutOfRange, $"{column} {text} is before 1900");
        if (date > AsOf) return new RowError(column, RejectReasons.FutureDate, $"{column} {text} is after the import day {AsOf:yyyy-MM-dd}");
        return null;
    }

    private static RowError? Int(RowFields f, int c, IReadOnlyList<string> cols, int min, int max, out int? value)
    {
        value = null;
        var text = f[c];
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, Inv, out var v))
        {
            // Spreadsheets write whole numbers as 3.0 at times.
            if (!double.TryParse(text, NumberStyles.Float, Inv, out var d) || d != Math.Floor(d) || Math.Abs(d) > int.MaxValue)
                return new RowError(cols[c], RejectReasons.BadNumber, $"{cols[c]} '{text}' is not a whole number");
            v = (int)d;
        }
        if (v < min || v > max) return new RowError(cols[c], RejectReasons.OutOfRange, $"{cols[c]} {text} is outside {min}..{max}");
        value = v;
        return null;
    }

    private static RowError? Real(RowFields f, int c, IReadOnlyList<string> cols, double min, double max, out double? value)
    {
        value = null;
        var text = f[c];
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, Inv, out var v)
            || !double.IsFinite(v))
            return new RowError(cols[c], RejectReasons.BadNumber, $"{cols[c]} '{text}' is not a number");
        if (v < min || v > max)
            return new RowError(cols[c], RejectReasons.OutOfRange, $"{cols[c]} {text} is outside {min.ToString(Inv)}..{max.ToString(Inv)}");
        value = v;
        return null;
    }

    private static RowError? List(string text, string column, IReadOnlyList<string> allowed, out string[] values)
    {
        // Most rows list nothing or one code: no LINQ for those.
        if (text.Length == 0) values = [];
        else if (!text.Contains(';')) values = [text];
        else values = [.. SplitList(text).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        foreach (var v in values)
        {
            if (!allowed.Contains(v)) return Unknown(column, v, allowed);
        }
        return null;
    }

    private static bool IsCurrency(string s) => s.Length == 3 && s.All(ch => ch is >= 'A' and <= 'Z');

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    /// <summary>The row as one CSV line in its file's column order, with the patient_ref value masked.</summary>
    public static string MaskedRaw(string[] raw, int patientRefPosition)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < raw.Length; i++)
        {
            if (i > 0) sb.Append(',');
            var v = i == patientRefPosition && raw[i].Trim().Length > 0 ? "***" : raw[i];
            if (v.AsSpan().IndexOfAny(",\"\r\n") >= 0) sb.Append('"').Append(v.Replace("\"", "\"\"")).Append('"');
            else sb.Append(v);
        }
        return sb.ToString();
    }
}
