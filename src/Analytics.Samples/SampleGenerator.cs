using System.Globalization;
using Analytics.Domain;

namespace Analytics.Samples;

/// <summary>
/// Writes the three contract input files (sessions.csv, assessments.csv, satisfaction.csv)
/// for a synthetic clinic network with planted effects, and, on request, deliberately bad
/// rows listed in planted-rejects.csv. Streams course by course: memory stays flat.
/// </summary>
public sealed class SampleGenerator
{
    public Task<GenerationSummary> GenerateAsync(
        string outDir,
        GeneratorSettings settings,
        IProgress<GenerationProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Task.Run(() => Generate(outDir, settings, progress, cancellationToken), cancellationToken);

    public GenerationSummary Generate(
        string outDir,
        GeneratorSettings settings,
        IProgress<GenerationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        settings.Validate();
        Directory.CreateDirectory(outDir);
        using var run = new GenerationRun(outDir, settings);
        return run.Run(progress, cancellationToken);
    }

    /// <summary>
    /// Copies a generated CSV without one of its columns (the "missing required column"
    /// case, which rejects a file whole). Test helper; never part of the committed samples.
    /// </summary>
    public static void WriteWithoutColumn(string sourceCsv, string column, string destinationCsv)
    {
        using var reader = new StreamReader(sourceCsv);
        var header = CsvRowWriter.SplitLine(reader.ReadLine() ?? throw new InvalidDataException($"{sourceCsv} is empty."));
        var drop = header.IndexOf(column);
        if (drop < 0) throw new ArgumentException($"{sourceCsv} has no column '{column}'.", nameof(column));
        header.RemoveAt(drop);
        using var writer = new CsvRowWriter(destinationCsv, header);
        while (reader.ReadLine() is { } line)
        {
            var fields = CsvRowWriter.SplitLine(line);
            if (drop < fields.Count) fields.RemoveAt(drop);
            writer.WriteRow(fields);
        }
    }
}

internal static class Text
{
    private static readonly string[] SmallInts = [.. Enumerable.Range(0, 2200).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    public static string Int(int value) =>
        value >= 0 && value < SmallInts.Length ? SmallInts[value] : value.ToString(CultureInfo.InvariantCulture);

    public static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

internal sealed class PatientState(string reference, int birthYear, string sex, int fitzpatrick)
{
    public string Ref { get; } = reference;
    public int BirthYear { get; } = birthYear;
    public string Sex { get; } = sex;
    public int Fitzpatrick { get; } = fitzpatrick;
    public bool HideBirthYear { get; init; }
    public bool HideSex { get; init; }
    public bool HideFitzpatrick { get; init; }
}

internal sealed class ClinicState
{
    public required int Number { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Currency { get; init; }
    public required double PriceFactor { get; init; }
    public required double[] FitzpatrickWeights { get; init; }
    public required string[] Practitioners { get; init; }
    public required double[] PractitionerWeights { get; init; }
    public required double SizeFactor { get; init; }
    public int SessionSeq;
    public int CourseSeq;
    public int PatientSeq;
    /// <summary>Recent patients, so some come back for another course (bounded: memory stays flat).</summary>
    public readonly PatientState?[] Recent = new PatientState?[400];
    public int RecentCount;
}

/// <summary>What the bad-row planter needs to know about the course just written.</summary>
internal sealed class CourseContext
{
    public required ClinicState Clinic { get; init; }
    public required PatientState Patient { get; init; }
    public required string CourseId { get; init; }
    public required string Concern { get; init; }
    public required DateOnly FirstDate { get; init; }
    public required string[] FirstSession { get; init; }
    public required Instrument Primary { get; init; }
    public required string PractitionerId { get; init; }
}

internal sealed class GenerationRun : IDisposable
{
    private static readonly string[] Currencies = ["EUR", "GBP", "USD", "EUR", "CHF"];
    private static readonly Dictionary<string, double> CurrencyFactor = new()
    {
        ["EUR"] = 1.0, ["GBP"] = 0.86, ["USD"] = 1.08, ["CHF"] = 0.95,
    };
    private static readonly Dictionary<string, double> AreaPrice = new()
    {
        ["face"] = 220, ["neck"] = 200, ["chest"] = 260, ["scalp"] = 250, ["body"] = 320, ["hands"] = 180,
    };
    private static readonly Dictionary<string, double> AdjunctPrice = new()
    {
        ["prp"] = 180, ["exosomes"] = 200, ["laser"] = 150, ["radiofrequency"] = 120, ["chemical_peel"] = 80,
        ["growth_factor_serum"] = 60, ["hyaluronic_serum"] = 40, ["vitamin_c"] = 30, ["minoxidil"] = 20,
        ["tranexamic_acid"] = 40,
    };

    // Fitzpatrick I..VI mixes; clinic k uses profile (k − 1) mod 4, so every small set has dark skin types.
    private static readonly double[][] FitzpatrickProfiles =
    [
        [0.05, 0.20, 0.30, 0.25, 0.12, 0.08],
        [0.15, 0.35, 0.30, 0.12, 0.06, 0.02],
        [0.02, 0.08, 0.20, 0.35, 0.20, 0.15],
        [0.01, 0.04, 0.10, 0.20, 0.30, 0.35],
    ];
    private static readonly double[] AeFitzpatrickFactor = [0.8, 0.9, 1.0, 1.5, 1.9, 2.2];
    private static readonly double[] SessionCountWeights = [8, 12, 30, 25, 13, 12];
    private static readonly double MeanSessionsPerCourse =
        SessionCountWeights.Select((w, i) => w * (i + 1)).Sum() / SessionCountWeights.Sum();

    private static readonly string[] CityNames =
        ["Lyon", "Leeds", "Austin", "Porto", "Basel", "Dublin", "Graz", "Turin", "Ghent", "Malmo", "Denver", "Bristol"];

    private readonly GeneratorSettings _s;
    private readonly string _outDir;
    private readonly CsvRowWriter _sessions;
    private readonly CsvRowWriter _assessments;
    private readonly CsvRowWriter _satisfaction;
    private readonly BadRowPlanter? _planter;
    private readonly DateOnly _firstDay;
    private readonly DateOnly _lastDay;
    private readonly string[] _sessionRow = new string[20];
    private readonly string?[] _assessmentRow = new string?[8];
    private readonly string?[] _answerRow = new string?[7];
    private readonly List<string> _adverse = [];
    private SeededRandom _rng = new(0);
    private long _assessmentSeq;
    private long _responseSeq;
    private long _courses;
    private long _patients;

    public GenerationRun(string outDir, GeneratorSettings settings)
    {
        _s = settings;
        _outDir = outDir;
        _firstDay = settings.FirstDay;
        _lastDay = settings.LastDay;
        _sessions = new CsvRowWriter(Path.Combine(outDir, SampleFiles.Sessions), SampleFiles.SessionColumns);
        _assessments = new CsvRowWriter(Path.Combine(outDir, SampleFiles.Assessments), SampleFiles.AssessmentColumns);
        _satisfaction = new CsvRowWriter(Path.Combine(outDir, SampleFiles.Satisfaction), SampleFiles.SatisfactionColumns);
        var manifest = Path.Combine(outDir, SampleFiles.PlantedRejects);
        if (settings.BadRowShare > 0)
        {
            _planter = new BadRowPlanter(settings, SeededRandom.Stream(settings.Seed, 1_000_000), _sessions, _assessments, _satisfaction);
        }
        else if (File.Exists(manifest))
        {
            File.Delete(manifest); // a stale manifest from an earlier run would lie about these files
        }
    }

    public GenerationSummary Run(IProgress<GenerationProgress>? progress, CancellationToken ct)
    {
        CourseContext? last = null;
        for (var c = 1; c <= _s.Clinics; c++)
        {
            // One stream per clinic: adding clinics or bad rows does not change an existing clinic's data.
            _rng = SeededRandom.Stream(_s.Seed, (ulong)c);
            var clinic = CreateClinic(c);
            for (var m = 0; m < _s.Months; m++)
            {
                ct.ThrowIfCancellationRequested();
                var monthStart = _firstDay.AddMonths(m);
                var days = monthStart.AddMonths(1).DayNumber - monthStart.DayNumber;
                var starts = _rng.StochasticRound(_s.SessionsPerClinicPerMonth * clinic.SizeFactor / MeanSessionsPerCourse);
                for (var k = 0; k < starts; k++)
                {
                    last = GenerateCourse(clinic, monthStart.AddDays(_rng.Next(days)));
                }
            }
            progress?.Report(new GenerationProgress(c, _s.Clinics, _sessions.DataRows));
        }

        var planted = 0;
        if (_planter is not null)
        {
            if (last is not null) _planter.PlantMissingKinds(last);
            planted = _planter.WriteManifest(Path.Combine(_outDir, SampleFiles.PlantedRejects));
        }

        return new GenerationSummary(
            _outDir, _sessions.DataRows, _assessments.DataRows, _satisfaction.DataRows, planted, _courses, _patients,
            _s.SkilledPractitionerId, _firstDay, _lastDay, _s.AsOf);
    }

    private ClinicState CreateClinic(int number)
    {
        var id = SampleIds.Clinic(number);
        // Formula-looking names and a name needing quotes on purpose: workbooks and CSV writers must keep them as text.
        var name = number switch
        {
            1 => "=Derma Lab Centre",
            2 => "Glow \"Skin\" & Scar Clinic, Leeds",
            3 => "+Plus Skin Studio",
            _ => $"Skin Clinic {CityNames[(number - 1) % CityNames.Length]} {number}",
        };
        var practitioners = 3 + _rng.Next(6);
        var weights = new double[practitioners];
        for (var i = 0; i < practitioners; i++) weights[i] = i == 0 ? 2.0 : _rng.Uniform(0.5, 1.5); // the first is the lead practitioner: busiest
        return new ClinicState
        {
            Number = number,
            Id = id,
            Name = name,
            Currency = Currencies[(number - 1) % Currencies.Length],
            PriceFactor = _rng.Uniform(0.8, 1.3),
            FitzpatrickWeights = FitzpatrickProfiles[(number - 1) % FitzpatrickProfiles.Length],
            Practitioners = [.. Enumerable.Range(1, practitioners).Select(i => SampleIds.Practitioner(id, i))],
            PractitionerWeights = weights,
            SizeFactor = _s.Clinics == 1 ? 1.0 : _rng.Uniform(0.7, 1.3),
        };
    }

    private PatientState NextPatient(ClinicState clinic, ConcernProfile profile, DateOnly start)
    {
        if (clinic.RecentCount > 0 && _rng.Chance(0.2))
        {
            return clinic.Recent[_rng.Next(Math.Min(clinic.RecentCount, clinic.Recent.Length))]!;
        }
        var n = ++clinic.PatientSeq;
        // Clinic 1 exports bare numeric refs with leading zeros ("00123"): they must stay text everywhere.
        var reference = clinic.Number == 1 ? $"{n:D5}" : $"{clinic.Id}-p{n:D6}";
        var age = _rng.Between(profile.AgeMin, profile.AgeMax);
        var sexRoll = _rng.NextDouble();
        var sex = sexRoll < 0.01 ? "x" : sexRoll < 0.03 ? "unknown" : _rng.Chance(profile.FemaleShare) ? "f" : "m";
        var patient = new PatientState(reference, start.Year - age, sex, 1 + _rng.PickWeighted(clinic.FitzpatrickWeights))
        {
            HideBirthYear = _rng.Chance(0.05),
            HideSex = _rng.Chance(0.03),
            HideFitzpatrick = _rng.Chance(0.07),
        };
        clinic.Recent[clinic.RecentCount++ % clinic.Recent.Length] = patient;
        _patients++;
        return patient;
    }

    private CourseContext GenerateCourse(ClinicState clinic, DateOnly start)
    {
        var rng = _rng;
        var profile = ConcernProfile.All[rng.PickWeighted(ConcernProfile.Weights)];
        var patient = NextPatient(clinic, profile, start);
        var courseId = $"{clinic.Id}-k{++clinic.CourseSeq:D6}";
        var practitioner = clinic.Practitioners[rng.PickWeighted(clinic.PractitionerWeights)];
        var area = profile.Areas[rng.PickWeighted(profile.AreaWeights)].Area;
        var device = Codes.Devices[rng.PickWeighted(profile.DeviceWeights)];
        var protocol = profile.Protocols[rng.PickWeighted(profile.ProtocolWeights)];
        var depth = Math.Round(rng.Uniform(profile.DepthMin, profile.DepthMax) * 4) / 4;
        if (device == "rf_microneedling") depth = Math.Min(3.5, depth + 0.5);
        var planned = 1 + rng.PickWeighted(SessionCountWeights);

        // Sessions about four weeks apart; a course still running at the end of the window is cut there.
        Span<DateOnly> dates = stackalloc DateOnly[6];
        var count = 0;
        for (var d = start; count < planned && d <= _lastDay; d = d.AddDays(rng.Between(21, 35))) dates[count++] = d;
        _courses++;

        string[]? firstSession = null;
        var anyAdverse = false;
        var downtimeSum = 0.0;
        for (var i = 0; i < count; i++)
        {
            // A colleague covers some later sessions; the course's practitioner keeps the majority.
            var by = i >= 2 && rng.Chance(0.1) ? clinic.Practitioners[rng.Next(clinic.Practitioners.Length)] : practitioner;
            var (adverse, downtime) = WriteSession(clinic, patient, courseId, profile.Concern, area, device, protocol, depth, dates[i], by);
            anyAdverse |= adverse;
            downtimeSum += downtime;
            if (i == 0)
            {
                firstSession = (string[])_sessionRow.Clone();
            }
        }

        var first = dates[0];
        var last = dates[count - 1];
        var age = first.Year - patient.BirthYear;
        var primary = InstrumentCatalog.Get(profile.Primary);

        // Latent course improvement %, additive in every planted effect (see data-samples/README.md).
        var severity = (rng.NextDouble() + rng.NextDouble()) / 2;
        var baseline = BaselineScore(primary, severity);
        var recordedSeverity = SeverityOf(primary, baseline);
        var improvement = profile.BaseImprovement
            + protocol.Adjuncts.Sum(a => ConcernProfile.AdjunctEffect(profile.Concern, a, _s))
            + _s.PerSessionEffect * (count - 3)
            + (patient.Fitzpatrick >= 5 ? _s.DarkSkinEffect : 0)
            + _s.BaselineSeverityEffect * (recordedSeverity - 0.5)
            + _s.AgePerDecadeEffect * (age - 40) / 10.0
            + (practitioner == _s.SkilledPractitionerId ? _s.SkilledPractitionerEffect : 0)
            + _s.NoiseSd * rng.Normal();

        WriteAssessments(clinic, patient, courseId, profile, primary, baseline, severity, improvement, dates[..count], practitioner,
            out var followUpDate);
        WriteAnswers(patient, courseId, improvement, anyAdverse, downtimeSum / count, dates[..count], followUpDate);

        var context = new CourseContext
        {
            Clinic = clinic,
            Patient = patient,
            CourseId = courseId,
            Concern = profile.Concern,
            FirstDate = first,
            FirstSession = firstSession!,
            Primary = primary,
            PractitionerId = practitioner,
        };
        _planter?.AfterCourse(context);
        return context;
    }

    private (bool Adverse, double Downtime) WriteSession(
        ClinicState clinic, PatientState patient, string courseId, string concern, string area, string device,
        ProtocolChoice protocol, double courseDepth, DateOnly date, string practitioner)
    {
        var rng = _rng;
        var depth = courseDepth;
        if (rng.Chance(0.25)) depth += rng.Chance(0.5) ? 0.25 : -0.25;
        depth = Math.Clamp(depth, 0.25, 3.5);
        var passes = device == "rf_microneedling" ? rng.Between(1, 3) : rng.Between(2, 8);

        // Adverse events: more often deep, and much more often (pih above all) in Fitzpatrick IV–VI.
        _adverse.Clear();
        var fitz = patient.Fitzpatrick;
        var pAdverse = (0.04 + (depth > 2 ? 0.02 : 0)) * AeFitzpatrickFactor[fitz - 1];
        if (rng.Chance(pAdverse))
        {
            var events = rng.Chance(0.08) ? 2 : 1;
            for (var e = 0; e < events; e++)
            {
                double[] w =
                [
                    40, // prolonged_erythema
                    fitz >= 4 ? 45 : 8, // pih
                    2, // infection
                    4, // herpes_reactivation
                    device is "roller" or "stamp" && depth >= 2 ? 4 : 0.5, // tram_track
                    protocol.Adjuncts.Any(a => a.EndsWith("_serum", StringComparison.Ordinal) || a is "vitamin_c" or "minoxidil") ? 10 : 3,
                    8, // acneiform_eruption
                    0.5, // granuloma
                ];
                var ae = Codes.AdverseEvents[rng.PickWeighted(w)];
                if (!_adverse.Contains(ae)) _adverse.Add(ae);
            }
        }
        var adverse = _adverse.Count > 0;
        var downtime = Math.Max(0, Math.Round((0.5 + depth * 1.2 + 0.7 * rng.Normal() + (adverse ? rng.Between(2, 5) : 0)) * 2) / 2);

        string price = "", currency = "";
        if (!rng.Chance(0.07)) // some sessions are part of a prepaid package: no price
        {
            currency = rng.Chance(0.03) ? (clinic.Currency == "USD" ? "EUR" : "USD") : clinic.Currency;
            var amount = AreaPrice[area] + (device == "rf_microneedling" ? 150 : 0);
            foreach (var a in protocol.Adjuncts) amount += AdjunctPrice[a];
            amount *= clinic.PriceFactor * CurrencyFactor[currency];
            price = Text.Num(Math.Round(amount / 5) * 5);
        }

        var row = _sessionRow;
        row[0] = $"{clinic.Id}-s{++clinic.SessionSeq:D7}";
        row[1] = clinic.Id;
        row[2] = rng.Chance(0.05) ? "" : clinic.Name;
        row[3] = practitioner;
        row[4] = patient.Ref;
        row[5] = patient.HideBirthYear ? "" : Text.Int(patient.BirthYear);
        row[6] = patient.HideSex ? "" : patient.Sex;
        row[7] = patient.HideFitzpatrick ? "" : Text.Int(fitz);
        row[8] = courseId;
        row[9] = concern;
        row[10] = rng.Chance(0.03) ? "" : area;
        row[11] = Text.Date(date);
        row[12] = rng.Chance(0.03) ? "" : device;
        row[13] = Text.Num(depth);
        row[14] = Text.Int(passes);
        row[15] = protocol.Combination;
        row[16] = adverse ? string.Join(';', _adverse) : "";
        row[17] = rng.Chance(0.1) ? "" : Text.Num(downtime);
        row[18] = price;
        row[19] = currency;
        _sessions.WriteRow(row);
        return (adverse, downtime);
    }

    /// <summary>Baseline score for a severity position (0 = mildest, 1 = worst), on the instrument's grid.</summary>
    private static double BaselineScore(Instrument instrument, double severity) => instrument.HigherIsBetter
        ? RoundTo(instrument, 180 - 120 * severity) // hair density 60..180 hairs/cm²
        : RoundTo(instrument, instrument.Min + (0.15 + 0.8 * severity) * (instrument.Max - instrument.Min));

    /// <summary>The severity position the recorded (rounded) baseline implies: linear in the baseline score.</summary>
    private static double SeverityOf(Instrument instrument, double baseline) => instrument.HigherIsBetter
        ? (180 - baseline) / 120
        : ((baseline - instrument.Min) / (instrument.Max - instrument.Min) - 0.15) / 0.8;

    /// <summary>Scores sit on the instrument's own grid: whole grades or points, one decimal for (m)MASI.</summary>
    private static double RoundTo(Instrument instrument, double value)
    {
        var step = instrument.Code is "mmasi" or "masi" ? 0.1 : 1.0;
        var rounded = Math.Round(value / step) * step;
        return Math.Round(Math.Clamp(rounded, instrument.Min, instrument.Max), 1);
    }

    private static double FollowUpScore(Instrument instrument, double baseline, double improvementPct) =>
        RoundTo(instrument, instrument.HigherIsBetter
            ? baseline * (1 + improvementPct / 100)
            : baseline * (1 - improvementPct / 100));

    private void WriteAssessments(
        ClinicState clinic, PatientState patient, string courseId, ConcernProfile profile, Instrument primary, double baseline,
        double severity, double improvement, ReadOnlySpan<DateOnly> dates, string practitioner, out DateOnly? followUpDate)
    {
        var rng = _rng;
        var first = dates[0];
        var last = dates[^1];
        followUpDate = null;

        // Severity instruments scored for this course: the primary, sometimes a second one of the same concern.
        var instruments = new List<(Instrument Instrument, double Baseline, double Improvement)> { (primary, baseline, improvement) };
        if (profile.Secondary is { } secondaryCode && rng.Chance(profile.SecondaryShare))
        {
            var secondary = InstrumentCatalog.Get(secondaryCode);
            instruments.Add((secondary, BaselineScore(secondary, Math.Clamp(severity + 0.1 * rng.Normal(), 0, 1)), improvement + 5 * rng.Normal()));
        }

        var assessor = rng.Chance(0.05) ? "" : rng.Chance(0.9) ? practitioner : clinic.Practitioners[rng.Next(clinic.Practitioners.Length)];
        var baselineDate = rng.Chance(0.6) ? first : first.AddDays(-rng.Between(1, 21));
        foreach (var (instrument, b, _) in instruments)
        {
            if (rng.Chance(0.03)) continue; // no baseline recorded
            WriteAssessment(patient, courseId, instrument, baselineDate, Codes.Baseline, b, assessor);
        }

        if (dates.Length >= 2 && rng.Chance(0.5))
        {
            var k = dates.Length / 2;
            var interimDate = dates[k - 1].AddDays(rng.Between(0, 3));
            if (interimDate <= _lastDay)
            {
                var share = (double)k / dates.Length;
                foreach (var (instrument, b, imp) in instruments)
                    WriteAssessment(patient, courseId, instrument, interimDate, Codes.Interim, FollowUpScore(instrument, b, imp * share), assessor);
            }
        }

        var roll = rng.NextDouble();
        if (roll < _s.MissingFollowUpShare) return;
        if (roll < _s.MissingFollowUpShare + _s.EarlyFollowUpShare)
        {
            // Marked follow_up but taken on or before the last session: the contract treats it as interim.
            var early = dates.Length == 1 ? last : last.AddDays(-rng.Between(0, Math.Min(7, last.DayNumber - first.DayNumber)));
            foreach (var (instrument, b, imp) in instruments)
                WriteAssessment(patient, courseId, instrument, early, Codes.FollowUp, FollowUpScore(instrument, b, imp * 0.8), assessor);
            return;
        }

        var date = last.AddDays(rng.Between(56, 84));
        if (date > _lastDay) return; // not due yet at the as-of day
        followUpDate = date;
        foreach (var (instrument, b, imp) in instruments)
            WriteAssessment(patient, courseId, instrument, date, Codes.FollowUp, FollowUpScore(instrument, b, imp), assessor);

        if (rng.Chance(profile.GaisShare))
        {
            var x = improvement + 8 * rng.Normal();
            var gais = x >= 55 ? 1 : x >= 30 ? 2 : x >= 10 ? 3 : x >= -10 ? 4 : 5;
            WriteAssessment(patient, courseId, InstrumentCatalog.Get("gais_investigator"), date, Codes.FollowUp, gais, assessor);
        }
        if (rng.Chance(profile.Photo7Share))
        {
            var photo = Math.Clamp(Math.Round((improvement + 8 * rng.Normal()) / 12), -3, 3);
            WriteAssessment(patient, courseId, InstrumentCatalog.Get("global_photo_7"), date, Codes.FollowUp, photo, assessor);
        }
    }

    private void WriteAssessment(
        PatientState patient, string courseId, Instrument instrument, DateOnly date, string timepoint, double score, string assessor)
    {
        var row = _assessmentRow;
        row[0] = $"a{++_assessmentSeq:D8}";
        row[1] = patient.Ref;
        row[2] = courseId;
        row[3] = instrument.Code;
        row[4] = Text.Date(date);
        row[5] = timepoint;
        row[6] = Text.Num(score);
        row[7] = assessor;
        _assessments.WriteRow(row);
    }

    private void WriteAnswers(
        PatientState patient, string courseId, double improvement, bool anyAdverse, double meanDowntime,
        ReadOnlySpan<DateOnly> dates, DateOnly? followUpDate)
    {
        var rng = _rng;
        var sessions = dates.Length;
        var last = dates[^1];
        var sessionSeq = _sessionRow[0]; // last session of the course; earlier ids are derived from its number
        var lastSessionNumber = int.Parse(sessionSeq.AsSpan(sessionSeq.Length - 7), CultureInfo.InvariantCulture);
        var clinicId = _sessionRow[1];

        // Short post-session surveys, linked to the session (and half of the time to the course too).
        for (var i = 0; i < sessions; i++)
        {
            if (!rng.Chance(0.2)) continue;
            var sessionId = $"{clinicId}-s{lastSessionNumber - (sessions - 1 - i):D7}";
            var q = (improvement - 30) / 40 - (anyAdverse ? 0.8 : 0) - 0.05 * (meanDowntime - 3) + 0.8 * rng.Normal();
            var date = dates[i].AddDays(rng.Between(0, 7));
            if (date > _lastDay) continue;
            var instrument = rng.Chance(0.6) ? "nps" : "likert5";
            WriteAnswer(patient, rng.Chance(0.5) ? courseId : "", sessionId, date, instrument, q);
        }

        // End-of-course survey about the result, linked to the course only.
        if (rng.Chance(0.65))
        {
            var date = followUpDate?.AddDays(rng.Between(0, 14)) ?? last.AddDays(rng.Between(56, 100));
            if (date <= _lastDay)
            {
                var q = (improvement - 30) / 15 + 0.7 * rng.Normal();
                var instrument = rng.PickWeighted([30, 30, 25, 15]) switch
                {
                    0 => "face_q_satisfaction",
                    1 => "gais_patient",
                    2 => "nps",
                    _ => "likert5",
                };
                WriteAnswer(patient, courseId, "", date, instrument, q);
            }
        }

        // General surveys naming neither course nor session: linked by the patient's latest session.
        if (rng.Chance(0.12))
        {
            var date = last.AddDays(rng.Between(1, 30));
            if (date <= _lastDay) WriteAnswer(patient, "", "", date, "nps", (improvement - 30) / 25 + 0.9 * rng.Normal());
        }
    }

    private void WriteAnswer(PatientState patient, string courseId, string sessionId, DateOnly date, string instrument, double quality)
    {
        var score = instrument switch
        {
            "nps" => Math.Clamp(Math.Round(8 + 1.6 * quality), 0, 10),
            "likert5" => Math.Clamp(Math.Round(4 + 0.8 * quality), 1, 5),
            "face_q_satisfaction" => Math.Clamp(Math.Round(68 + 14 * quality), 0, 100),
            _ => Math.Clamp(Math.Round(2.3 - 0.9 * quality), 1, 5), // gais_patient, 1 = very much improved
        };
        var row = _answerRow;
        row[0] = $"r{++_responseSeq:D8}";
        row[1] = patient.Ref;
        row[2] = courseId;
        row[3] = sessionId;
        row[4] = Text.Date(date);
        row[5] = instrument;
        row[6] = Text.Num(score);
        _satisfaction.WriteRow(row);
    }

    public void Dispose()
    {
        _sessions.Dispose();
        _assessments.Dispose();
        _satisfaction.Dispose();
    }
}
