namespace Analytics.Domain;

/// <summary>
/// Machine codes of the contract's "Rules for bad input". Stored on every rejected row,
/// written by the generator's planted-rejects manifest and grouped in import summaries.
/// </summary>
public static class RejectReasons
{
    /// <summary>The file's header lacks a required column: the whole file is rejected.</summary>
    public const string MissingColumn = "missing_column";
    /// <summary>A required column is empty.</summary>
    public const string Required = "required";
    /// <summary>A code is not in the contract's list (concern, area, device, adjunct, instrument…).</summary>
    public const string UnknownCode = "unknown_code";
    /// <summary>A number does not parse.</summary>
    public const string BadNumber = "bad_number";
    /// <summary>A date does not parse as ISO YYYY-MM-DD.</summary>
    public const string BadDate = "bad_date";
    /// <summary>A number or date is outside its range (including a score outside its instrument's range).</summary>
    public const string OutOfRange = "out_of_range";
    /// <summary>A session or answer is dated after the import's as-of day.</summary>
    public const string FutureDate = "future_date";
    /// <summary>price is given without currency.</summary>
    public const string PriceWithoutCurrency = "price_without_currency";
    /// <summary>A session names another concern than its course's first session.</summary>
    public const string ConcernMismatch = "concern_mismatch";
    /// <summary>An interim or follow_up assessment is dated before its course's first session.</summary>
    public const string BeforeCourseStart = "before_course_start";
    /// <summary>An assessment names an instrument that does not fit the course's concern.</summary>
    public const string InstrumentConcernMismatch = "instrument_concern_mismatch";
    /// <summary>A global instrument is scored at baseline.</summary>
    public const string GlobalAtBaseline = "global_at_baseline";
    /// <summary>An id repeats inside one file with different content: every row with it is rejected.</summary>
    public const string DuplicateIdConflict = "duplicate_id_conflict";

    public static readonly IReadOnlyList<string> All =
    [
        MissingColumn, Required, UnknownCode, BadNumber, BadDate, OutOfRange, FutureDate,
        PriceWithoutCurrency, ConcernMismatch, BeforeCourseStart, InstrumentConcernMismatch,
        GlobalAtBaseline, DuplicateIdConflict,
    ];
}
