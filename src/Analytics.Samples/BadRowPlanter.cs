using Analytics.Domain;

namespace Analytics.Samples;

/// <summary>One planted bad row as listed in planted-rejects.csv.</summary>
public sealed record PlantedReject(string File, int Line, string Id, string Column, string Reason);

/// <summary>
/// Adds extra, deliberately bad rows after a course's good rows, one rule of the contract's
/// "Rules for bad input" each, cycling through every kind so all of them appear. Planted rows
/// never replace or alter good rows, and their ids (…-sb…, ab…, rb…) never collide with good
/// ids, so rejecting them leaves every good row's outcome unchanged.
/// </summary>
internal sealed class BadRowPlanter(
    GeneratorSettings settings, SeededRandom rng, CsvRowWriter sessions, CsvRowWriter assessments, CsvRowWriter satisfaction)
{
    private static readonly string[] SessionKinds =
    [
        RejectReasons.Required, RejectReasons.UnknownCode, RejectReasons.BadNumber, RejectReasons.BadDate,
        RejectReasons.OutOfRange, RejectReasons.FutureDate, RejectReasons.PriceWithoutCurrency,
        RejectReasons.ConcernMismatch, RejectReasons.DuplicateIdConflict,
    ];

    private static readonly string[] AssessmentKinds =
    [
        RejectReasons.Required, RejectReasons.UnknownCode, RejectReasons.BadNumber, RejectReasons.BadDate,
        RejectReasons.OutOfRange, RejectReasons.BeforeCourseStart, RejectReasons.InstrumentConcernMismatch,
        RejectReasons.GlobalAtBaseline, RejectReasons.DuplicateIdConflict,
    ];

    private static readonly string[] AnswerKinds =
    [
        RejectReasons.Required, RejectReasons.UnknownCode, RejectReasons.BadNumber, RejectReasons.BadDate,
        RejectReasons.OutOfRange, RejectReasons.FutureDate, RejectReasons.DuplicateIdConflict,
    ];

    /// <summary>The kinds planted per file (the contract's rules that apply to that file).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> KindsPerFile = new Dictionary<string, IReadOnlyList<string>>
    {
        [SampleFiles.Sessions] = SessionKinds,
        [SampleFiles.Assessments] = AssessmentKinds,
        [SampleFiles.Satisfaction] = AnswerKinds,
    };

    private readonly List<PlantedReject> _planted = [];
    private readonly HashSet<(string File, string Kind)> _kindsSeen = [];
    private readonly Dictionary<(string File, string Kind), int> _variant = [];
    private readonly int[] _rowsSeen = [0, 0, 0];
    private readonly int[] _cycle = [0, 0, 0];
    private readonly DateOnly _lastDay = settings.LastDay;
    private int _badSeq;

    /// <summary>Called after each course's good rows: plants about BadRowShare bad rows per good row written since.</summary>
    public void AfterCourse(CourseContext course)
    {
        PlantFor(0, sessions, SampleFiles.Sessions, SessionKinds, course);
        PlantFor(1, assessments, SampleFiles.Assessments, AssessmentKinds, course);
        PlantFor(2, satisfaction, SampleFiles.Satisfaction, AnswerKinds, course);
    }

    private void PlantFor(int index, CsvRowWriter writer, string file, string[] kinds, CourseContext course)
    {
        var fresh = writer.DataRows - _rowsSeen[index];
        for (var i = 0; i < fresh; i++)
        {
            if (rng.Chance(settings.BadRowShare)) Plant(file, kinds[_cycle[index]++ % kinds.Length], course);
        }
        _rowsSeen[index] = writer.DataRows;
    }

    /// <summary>Plants every kind not planted yet (tiny sets), after the last course.</summary>
    public void PlantMissingKinds(CourseContext course)
    {
        foreach (var (file, kinds) in KindsPerFile)
        {
            foreach (var kind in kinds)
            {
                if (!_kindsSeen.Contains((file, kind))) Plant(file, kind, course);
            }
        }
    }

    public int WriteManifest(string path)
    {
        string[] order = [SampleFiles.Sessions, SampleFiles.Assessments, SampleFiles.Satisfaction];
        using var writer = new CsvRowWriter(path, SampleFiles.ManifestColumns);
        foreach (var r in _planted.OrderBy(r => Array.IndexOf(order, r.File)).ThenBy(r => r.Line))
        {
            writer.WriteRow([r.File, Text.Int(r.Line), r.Id, r.Column, r.Reason]);
        }
        return _planted.Count;
    }

    private int NextVariant(string file, string kind)
    {
        _variant.TryGetValue((file, kind), out var v);
        _variant[(file, kind)] = v + 1;
        return v;
    }

    private void Plant(string file, string kind, CourseContext course)
    {
        _kindsSeen.Add((file, kind));
        var v = NextVariant(file, kind);
        switch (file)
        {
            case SampleFiles.Sessions: PlantSession(kind, v, course); break;
            case SampleFiles.Assessments: PlantAssessment(kind, v, course); break;
            default: PlantAnswer(kind, v, course); break;
        }
    }

    private DateOnly DayInCourse(CourseContext course, int maxOffset)
    {
        var date = course.FirstDate.AddDays(rng.Between(0, maxOffset));
        return date > _lastDay ? _lastDay : date;
    }

    private DateOnly FutureDay() => settings.AsOf.AddDays(rng.Between(150, 400));

    private static string BadDateText(DateOnly d, int variant) => (variant % 5) switch
    {
        0 => $"{d.Year:D4}-02-30",
        1 => $"{d.Month:D2}/{d.Day:D2}/{d.Year:D4}",
        2 => $"{d.Year:D4}-13-{d.Day:D2}",
        3 => $"{d.Year:D4}{d.Month:D2}{d.Day:D2}",
        _ => $"{d.Day:D2}.{d.Month:D2}.{d.Year:D4}",
    };

    private static int Set(string[] row, (int Column, string Value) change)
    {
        row[change.Column] = change.Value;
        return change.Column;
    }

    private void Record(string file, int line, string id, string column, string reason) =>
        _planted.Add(new PlantedReject(file, line, id, column, reason));

    // sessions.csv column indexes (SampleFiles.SessionColumns)
    private const int SClinic = 1, SPractitioner = 3, SPatient = 4, SBirthYear = 5, SSex = 6, SFitz = 7, SCourse = 8,
        SConcern = 9, SArea = 10, SDate = 11, SDevice = 12, SDepth = 13, SPasses = 14, SCombination = 15, SAdverse = 16,
        SDowntime = 17, SPrice = 18, SCurrency = 19;

    private void PlantSession(string kind, int v, CourseContext course)
    {
        // A later session of the course (same day as the first at the earliest; its id sorts after the first's).
        var row = (string[])course.FirstSession.Clone();
        var id = $"{course.Clinic.Id}-sb{++_badSeq:D6}";
        row[0] = id;
        row[SDate] = Text.Date(DayInCourse(course, 10));
        if (row[SPrice].Length > 0 && row[SCurrency].Length == 0) row[SCurrency] = course.Clinic.Currency;
        int column;
        switch (kind)
        {
            case RejectReasons.Required:
                column = new[] { SClinic, SPractitioner, SPatient, SCourse, SConcern, SDate }[v % 6];
                row[column] = "";
                break;
            case RejectReasons.UnknownCode:
                column = Set(row, (v % 5) switch
                {
                    0 => (SArea, "face_and_neck"),
                    1 => (SDevice, "dermapen"),
                    2 => (SCombination, "prp;botox"),
                    3 => (SAdverse, "bruising"),
                    _ => (SSex, "female"),
                });
                break;
            case RejectReasons.BadNumber:
                column = Set(row, (v % 6) switch
                {
                    0 => (SDepth, "1,5"),
                    1 => (SPasses, "three"),
                    2 => (SPrice, "12O"),
                    3 => (SDowntime, "2 days"),
                    4 => (SFitz, "IV"),
                    _ => (SBirthYear, "19x5"),
                });
                if (column == SPrice && row[SCurrency].Length == 0) row[SCurrency] = course.Clinic.Currency;
                break;
            case RejectReasons.BadDate:
                column = SDate;
                row[SDate] = BadDateText(DayInCourse(course, 10), v);
                break;
            case RejectReasons.OutOfRange:
                column = Set(row, (v % 6) switch
                {
                    0 => (SFitz, "7"),
                    1 => (SDepth, "4.5"),
                    2 => (SPasses, "0"),
                    3 => (SDowntime, "75"),
                    4 => (SPrice, "-20"),
                    _ => (SBirthYear, "1890"),
                });
                if (column == SPrice && row[SCurrency].Length == 0) row[SCurrency] = course.Clinic.Currency;
                break;
            case RejectReasons.FutureDate:
                column = SDate;
                row[SDate] = Text.Date(FutureDay());
                break;
            case RejectReasons.PriceWithoutCurrency:
                column = SCurrency;
                row[SPrice] = "250";
                row[SCurrency] = "";
                break;
            case RejectReasons.ConcernMismatch:
                column = SConcern;
                row[SConcern] = Codes.Concerns[(Codes.Concerns.ToList().IndexOf(course.Concern) + 1 + rng.Next(Codes.Concerns.Count - 1)) % Codes.Concerns.Count];
                break;
            default: // duplicate_id_conflict: two rows with this id that differ in passes
                var second = (string[])row.Clone();
                second[SPasses] = row[SPasses] == "5" ? "6" : "5";
                Record(SampleFiles.Sessions, sessions.WriteRow(row), id, "session_id", kind);
                Record(SampleFiles.Sessions, sessions.WriteRow(second), id, "session_id", kind);
                return;
        }
        Record(SampleFiles.Sessions, sessions.WriteRow(row), id, SampleFiles.SessionColumns[column], kind);
    }

    // assessments.csv column indexes
    private const int APatient = 1, ACourse = 2, AInstrument = 3, ADate = 4, ATimepoint = 5, AScore = 6;

    private void PlantAssessment(string kind, int v, CourseContext course)
    {
        var id = $"ab{++_badSeq:D7}";
        var primary = course.Primary;
        var mid = Math.Round((primary.Min + primary.Max) / 2);
        // An interim score inside the course: harmless to every baseline and follow-up if it were applied.
        string[] row = [id, course.Patient.Ref, course.CourseId, primary.Code, Text.Date(DayInCourse(course, 14)), Codes.Interim,
            Text.Num(mid), course.PractitionerId];
        int column;
        switch (kind)
        {
            case RejectReasons.Required:
                column = new[] { APatient, ACourse, AInstrument, ADate, ATimepoint, AScore }[v % 6];
                row[column] = "";
                break;
            case RejectReasons.UnknownCode:
                column = Set(row, v % 2 == 0 ? (AInstrument, "dlqi") : (ATimepoint, "week_12"));
                break;
            case RejectReasons.BadNumber:
                column = AScore;
                row[AScore] = (v % 3) switch { 0 => "n/a", 1 => "3,5", _ => "1.2.3" };
                break;
            case RejectReasons.BadDate:
                column = ADate;
                row[ADate] = BadDateText(course.FirstDate, v);
                break;
            case RejectReasons.OutOfRange:
                column = AScore;
                row[AScore] = Text.Num(v % 2 == 0 ? primary.Max + 1 : primary.Min - 1);
                break;
            case RejectReasons.BeforeCourseStart:
                column = ADate;
                row[ADate] = Text.Date(course.FirstDate.AddDays(-rng.Between(3, 40)));
                row[ATimepoint] = v % 2 == 0 ? Codes.Interim : Codes.FollowUp;
                break;
            case RejectReasons.InstrumentConcernMismatch:
                column = AInstrument;
                var misfits = InstrumentCatalog.Clinical.Where(i => i.Kind == InstrumentKind.Severity && !i.Fits(course.Concern)).ToList();
                var wrong = misfits[v % misfits.Count];
                row[AInstrument] = wrong.Code;
                row[AScore] = Text.Num(Math.Round((wrong.Min + wrong.Max) / 2));
                break;
            case RejectReasons.GlobalAtBaseline:
                column = ATimepoint;
                row[ATimepoint] = Codes.Baseline;
                row[ADate] = Text.Date(course.FirstDate.AddDays(-rng.Between(0, 14)));
                (row[AInstrument], row[AScore]) = v % 2 == 0 ? ("gais_investigator", "3") : ("global_photo_7", "1");
                break;
            default: // duplicate_id_conflict: two interim rows with this id that differ in score
                var second = (string[])row.Clone();
                second[AScore] = Text.Num(mid + 1);
                Record(SampleFiles.Assessments, assessments.WriteRow(row), id, "assessment_id", kind);
                Record(SampleFiles.Assessments, assessments.WriteRow(second), id, "assessment_id", kind);
                return;
        }
        Record(SampleFiles.Assessments, assessments.WriteRow(row), id, SampleFiles.AssessmentColumns[column], kind);
    }

    // satisfaction.csv column indexes
    private const int RPatient = 1, RDate = 4, RInstrument = 5, RScore = 6;

    private void PlantAnswer(string kind, int v, CourseContext course)
    {
        var id = $"rb{++_badSeq:D7}";
        string[] row = [id, course.Patient.Ref, course.CourseId, "", Text.Date(DayInCourse(course, 20)), "nps", "8"];
        int column;
        switch (kind)
        {
            case RejectReasons.Required:
                column = new[] { RPatient, RDate, RInstrument, RScore }[v % 4];
                row[column] = "";
                break;
            case RejectReasons.UnknownCode:
                column = RInstrument;
                row[RInstrument] = v % 2 == 0 ? "csat" : "nps10";
                break;
            case RejectReasons.BadNumber:
                column = RScore;
                row[RScore] = v % 2 == 0 ? "ten" : "8,5";
                break;
            case RejectReasons.BadDate:
                column = RDate;
                row[RDate] = BadDateText(course.FirstDate, v);
                break;
            case RejectReasons.OutOfRange:
                column = RScore;
                (row[RInstrument], row[RScore]) = (v % 4) switch
                {
                    0 => ("nps", "11"),
                    1 => ("likert5", "6"),
                    2 => ("face_q_satisfaction", "101"),
                    _ => ("gais_patient", "0"),
                };
                break;
            case RejectReasons.FutureDate:
                column = RDate;
                row[RDate] = Text.Date(FutureDay());
                break;
            default: // duplicate_id_conflict
                var second = (string[])row.Clone();
                second[RScore] = "9";
                Record(SampleFiles.Satisfaction, satisfaction.WriteRow(row), id, "response_id", kind);
                Record(SampleFiles.Satisfaction, satisfaction.WriteRow(second), id, "response_id", kind);
                return;
        }
        Record(SampleFiles.Satisfaction, satisfaction.WriteRow(row), id, SampleFiles.SatisfactionColumns[column], kind);
    }
}
