using System.Globalization;
using Analytics.Domain;
using Analytics.Samples;

namespace Analytics.Samples.Tests;

/// <summary>
/// The contract's "Rules for bad input", written again from data-contract.md for the tests:
/// it finds every row of a generated set that breaks a rule, with the rule's reason code.
/// Planted rows carry exactly one fault, so the order of the checks does not matter.
/// </summary>
public static class ContractRules
{
    public static Dictionary<(string File, int Line), string> FindRejects(GeneratedSet set)
    {
        var asOf = set.Settings.AsOf;
        var rejects = new Dictionary<(string, int), string>();

        // sessions.csv: row rules, duplicates, then the course's concern from its first good session.
        var sessions = set.Sessions;
        foreach (var r in sessions.Rows)
        {
            if (SessionRowReason(r, asOf) is { } reason) rejects[(sessions.File, r.Line)] = reason;
        }
        MarkDuplicates(sessions, "session_id", rejects);
        var courses = sessions.Rows
            .Where(r => !rejects.ContainsKey((sessions.File, r.Line)))
            .GroupBy(r => r["course_id"])
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r["session_date"], StringComparer.Ordinal)
                .ThenBy(r => r["session_id"], StringComparer.Ordinal).First());
        foreach (var r in sessions.Rows)
        {
            if (rejects.ContainsKey((sessions.File, r.Line))) continue;
            if (courses[r["course_id"]]["concern"] != r["concern"]) rejects[(sessions.File, r.Line)] = RejectReasons.ConcernMismatch;
        }

        var assessments = set.Assessments;
        foreach (var r in assessments.Rows)
        {
            var reason = AssessmentRowReason(r);
            if (reason is null && courses.TryGetValue(r["course_id"], out var first))
            {
                var instrument = InstrumentCatalog.Get(r["instrument"]);
                if (!instrument.Fits(first["concern"])) reason = RejectReasons.InstrumentConcernMismatch;
                else if (instrument.Kind == InstrumentKind.Global && r["timepoint"] == Codes.Baseline) reason = RejectReasons.GlobalAtBaseline;
                else if (r["timepoint"] != Codes.Baseline && string.CompareOrdinal(r["assessed_on"], first["session_date"]) < 0)
                    reason = RejectReasons.BeforeCourseStart;
            }
            else if (reason is null && InstrumentCatalog.Get(r["instrument"]).Kind == InstrumentKind.Global && r["timepoint"] == Codes.Baseline)
            {
                reason = RejectReasons.GlobalAtBaseline;
            }
            if (reason is not null) rejects[(assessments.File, r.Line)] = reason;
        }
        MarkDuplicates(assessments, "assessment_id", rejects);

        var answers = set.Satisfaction;
        foreach (var r in answers.Rows)
        {
            if (AnswerRowReason(r, asOf) is { } reason) rejects[(answers.File, r.Line)] = reason;
        }
        MarkDuplicates(answers, "response_id", rejects);
        return rejects;
    }

    private static void MarkDuplicates(CsvTable table, string idColumn, Dictionary<(string, int), string> rejects)
    {
        foreach (var group in table.Rows.GroupBy(r => r[idColumn]).Where(g => g.Count() > 1))
        {
            if (group.Select(r => r.Content).Distinct().Count() < 2) continue; // the same row twice is applied once
            foreach (var r in group) rejects[(table.File, r.Line)] = RejectReasons.DuplicateIdConflict;
        }
    }

    private static string? SessionRowReason(CsvRecord r, DateOnly asOf)
    {
        foreach (var c in new[] { "session_id", "clinic_id", "practitioner_id", "patient_ref", "course_id", "concern", "session_date" })
            if (r[c].Length == 0) return RejectReasons.Required;
        if (!Codes.Concerns.Contains(r["concern"])) return RejectReasons.UnknownCode;
        if (!Optional(r["area"], Codes.Areas) || !Optional(r["device"], Codes.Devices) || !Optional(r["patient_sex"], Codes.Sexes)
            || !List(r["combination"], Codes.Adjuncts) || !List(r["adverse_events"], Codes.AdverseEvents))
            return RejectReasons.UnknownCode;
        var numbers = new (string Column, bool Integer, double Min, double Max)[]
        {
            ("patient_birth_year", true, 1900, asOf.Year), ("fitzpatrick_type", true, 1, 6), ("needle_depth_mm", false, 0.1, 3.5),
            ("passes", true, 1, 20), ("downtime_days", false, 0, 60), ("price", false, 0, double.MaxValue),
        };
        foreach (var (column, integer, _, _) in numbers)
            if (r[column].Length > 0 && !TryNumber(r[column], integer, out _)) return RejectReasons.BadNumber;
        if (!TryDate(r["session_date"], out var date)) return RejectReasons.BadDate;
        foreach (var (column, integer, min, max) in numbers)
            if (r[column].Length > 0 && TryNumber(r[column], integer, out var x) && (x < min || x > max)) return RejectReasons.OutOfRange;
        if (date > asOf) return RejectReasons.FutureDate;
        if (r["price"].Length > 0 && r["currency"].Length == 0) return RejectReasons.PriceWithoutCurrency;
        return null;
    }

    private static string? AssessmentRowReason(CsvRecord r)
    {
        foreach (var c in new[] { "assessment_id", "patient_ref", "course_id", "instrument", "assessed_on", "timepoint", "score" })
            if (r[c].Length == 0) return RejectReasons.Required;
        var instrument = InstrumentCatalog.Find(r["instrument"]);
        if (instrument is null || !Codes.Timepoints.Contains(r["timepoint"])) return RejectReasons.UnknownCode;
        if (!TryNumber(r["score"], false, out var score)) return RejectReasons.BadNumber;
        if (!TryDate(r["assessed_on"], out _)) return RejectReasons.BadDate;
        if (!instrument.InRange(score)) return RejectReasons.OutOfRange;
        return null;
    }

    private static string? AnswerRowReason(CsvRecord r, DateOnly asOf)
    {
        foreach (var c in new[] { "response_id", "patient_ref", "responded_on", "instrument", "score" })
            if (r[c].Length == 0) return RejectReasons.Required;
        var instrument = InstrumentCatalog.FindSatisfaction(r["instrument"]);
        if (instrument is null) return RejectReasons.UnknownCode;
        if (!TryNumber(r["score"], false, out var score)) return RejectReasons.BadNumber;
        if (!TryDate(r["responded_on"], out var date)) return RejectReasons.BadDate;
        if (!instrument.InRange(score)) return RejectReasons.OutOfRange;
        if (date > asOf) return RejectReasons.FutureDate;
        return null;
    }

    private static bool Optional(string value, IReadOnlyList<string> codes) => value.Length == 0 || codes.Contains(value);

    private static bool List(string value, IReadOnlyList<string> codes) =>
        value.Length == 0 || value.Split(';').All(codes.Contains);

    public static bool TryNumber(string text, bool integer, out double value)
    {
        if (integer && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            value = i;
            return true;
        }
        value = 0;
        return !integer && double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
