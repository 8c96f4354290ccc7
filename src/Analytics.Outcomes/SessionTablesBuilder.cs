using System.Runtime.CompilerServices;
using Analytics.Domain;
using Analytics.Statistics;

namespace Analytics.Outcomes;

/// <summary>One session as the safety, activity and revenue tables read it.</summary>
public readonly record struct SessionFact(
    int Month, string ClinicId, string Concern, string PatientId, bool HasAdverseEvent, double? DowntimeDays,
    decimal? Price, string? Currency);

/// <summary>
/// safety.csv, activity.csv and revenue.csv in one pass over the sessions (any order).
/// </summary>
/// <remarks>
/// Feed every session up to the last reported month, including those before the first reported month: they
/// decide whether a patient is new. Only months inside the range produce rows.
/// <list type="bullet">
/// <item>safety: adverse-event rate = sessions with ≥ 1 adverse event / sessions, Wilson interval; mean downtime
/// over the sessions that recorded downtime (no interval). Small cells by distinct patients.</item>
/// <item>activity: new = patients whose first session at that clinic (anywhere, on ALL rows) is in the month;
/// returning = patients with a session in the month and one there in an earlier month (= patients − new);
/// courses_started = courses whose first session is in the month, at the course's clinic. Never suppressed.</item>
/// <item>revenue: sessions with a price, per currency; revenue = sum of prices (decimal, no rounding). Never suppressed.</item>
/// </list>
/// </remarks>
public sealed class SessionTablesBuilder(int minCellSize, int? fromMonth = null, int? toMonth = null)
{
    private readonly TextIndex _clinics = new();
    private readonly TextIndex _concerns = new();
    private readonly Utf8Index _patients = new();
    private readonly CellPatientPairs _cellPatients = new();
    private int _cellCount;
    private readonly TextIndex _currencies = new();
    private readonly Dictionary<(int Month, int Clinic, int Concern), SafetyCell> _safety = [];
    private readonly Dictionary<(int Month, int Clinic), ActivityCell> _activity = [];
    private readonly Dictionary<(int Month, int Clinic, int Currency), RevenueCell> _revenue = [];
    // First month per patient (anywhere), and per patient and clinic: most patients attend one clinic, so the
    // first clinic seen sits in arrays indexed by patient and only further clinics go to a dictionary.
    private int[] _firstAnywhere = new int[1024];
    private int[] _firstClinic = new int[1024];
    private int[] _firstAtClinic = new int[1024];
    private readonly Dictionary<(int Patient, int Clinic), int> _firstAtOtherClinics = [];
    private readonly Dictionary<(int Month, int Clinic), int> _coursesStarted = [];

    public void Add(in SessionFact s)
    {
        int clinic = _clinics[s.ClinicId], patient = _patients.Intern(s.PatientId);
        var concern = InRange(s.Month) ? _concerns[s.Concern] : -1;
        var currency = s.Price is not null && s.Currency is { } c && InRange(s.Month) ? _currencies[c] : -1;
        Add(s.Month, clinic, concern, patient, s.HasAdverseEvent, s.DowntimeDays, s.Price, currency);
    }

    // The texts as indexes of these tables, for readers that intern without allocating a string per row.
    internal TextIndex Clinics => _clinics;
    internal TextIndex Concerns => _concerns;
    internal Utf8Index Patients => _patients;

    /// <summary>A reader that knows roughly how many sessions follow sizes the pair table once (each session adds up to four pairs).</summary>
    internal void ExpectSessions(long sessions) => _cellPatients.Reserve(4 * sessions);
    internal TextIndex Currencies => _currencies;

    internal bool InMonthRange(int month) => InRange(month);

    /// <summary>A session with its texts already interned (<paramref name="currency"/> −1 = none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Add(int month, int clinic, int concern, int patient, bool hasAdverseEvent, double? downtimeDays, decimal? price, int currency)
    {
        First(patient, clinic, month);
        if (!InRange(month)) return;
        Safety((month, clinic, concern), hasAdverseEvent, downtimeDays, patient);
        Safety((month, TextIndex.All, concern), hasAdverseEvent, downtimeDays, patient);
        Activity((month, clinic), patient);
        Activity((month, TextIndex.All), patient);
        if (price is { } p && currency >= 0)
        {
            Revenue((month, clinic, currency), p);
            Revenue((month, TextIndex.All, currency), p);
        }
    }

    public void AddCourseStart(string clinicId, DateOnly firstSessionDate)
    {
        var month = Codes.MonthKey(firstSessionDate);
        if (!InRange(month)) return;
        var clinic = _clinics[clinicId];
        _coursesStarted[(month, clinic)] = _coursesStarted.GetValueOrDefault((month, clinic)) + 1;
        _coursesStarted[(month, TextIndex.All)] = _coursesStarted.GetValueOrDefault((month, TextIndex.All)) + 1;
    }

    public IReadOnlyList<SafetyRow> Safety()
    {
        var rows = _safety.Select(kv =>
        {
            var (k, c) = (kv.Key, kv.Value);
            var suppressed = c.Patients < minCellSize;
            ProportionEstimate? rate = suppressed ? null : WilsonInterval.Compute(c.WithAdverseEvent, c.Sessions);
            double? downtime = suppressed || c.DowntimeCount == 0 ? null : c.DowntimeSum / c.DowntimeCount;
            return new SafetyRow(k.Month, _clinics.Text(k.Clinic), _concerns.Text(k.Concern), c.Sessions, c.Patients,
                c.WithAdverseEvent, rate?.Proportion, rate?.CiLow, rate?.CiHigh, downtime, suppressed);
        }).ToList();
        rows.Sort(static (a, b) =>
        {
            var c = a.Month.CompareTo(b.Month);
            if (c == 0) c = KeyOrder.Compare(a.ClinicId, b.ClinicId);
            if (c == 0) c = KeyOrder.Compare(a.Concern, b.Concern);
            return c;
        });
        return rows;
    }

    public IReadOnlyList<ActivityRow> Activity()
    {
        // A patient is new in the month of their first session at the clinic (anywhere, on ALL rows); that month has
        // a session of theirs there, so they are among its cell's patients.
        foreach (var cell in _activity.Values) cell.NewPatients = 0;
        foreach (var (month, clinic) in FirstMonths())
        {
            if (_activity.TryGetValue((month, clinic), out var cell)) cell.NewPatients++;
        }
        var rows = _activity.Select(kv =>
        {
            var (k, c) = (kv.Key, kv.Value);
            return new ActivityRow(k.Month, _clinics.Text(k.Clinic), c.Sessions, c.Patients, c.NewPatients,
                c.Patients - c.NewPatients, _coursesStarted.GetValueOrDefault(k));
        }).ToList();
        rows.Sort(static (a, b) =>
        {
            var c = a.Month.CompareTo(b.Month);
            return c != 0 ? c : KeyOrder.Compare(a.ClinicId, b.ClinicId);
        });
        return rows;
    }

    public IReadOnlyList<RevenueRow> Revenue()
    {
        var rows = _revenue.Select(kv => new RevenueRow(kv.Key.Month, _clinics.Text(kv.Key.Clinic), _currencies.Text(kv.Key.Currency),
            kv.Value.Sessions, kv.Value.Sum)).ToList();
        rows.Sort(static (a, b) =>
        {
            var c = a.Month.CompareTo(b.Month);
            if (c == 0) c = KeyOrder.Compare(a.ClinicId, b.ClinicId);
            if (c == 0) c = KeyOrder.Compare(a.Currency, b.Currency);
            return c;
        });
        return rows;
    }

    private bool InRange(int month) => (fromMonth is not { } f || month >= f) && (toMonth is not { } t || month <= t);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void First(int patient, int clinic, int month)
    {
        if (patient >= _firstAnywhere.Length)
        {
            var size = Math.Max(patient + 1, _firstAnywhere.Length * 2);
            Array.Resize(ref _firstAnywhere, size);
            Array.Resize(ref _firstClinic, size);
            Array.Resize(ref _firstAtClinic, size);
        }
        // Arrays hold month + 1 and clinic + 1, so 0 means "not seen yet".
        if (_firstAnywhere[patient] == 0 || month + 1 < _firstAnywhere[patient]) _firstAnywhere[patient] = month + 1;
        if (_firstClinic[patient] == 0) (_firstClinic[patient], _firstAtClinic[patient]) = (clinic + 1, month + 1);
        else if (_firstClinic[patient] == clinic + 1) { if (month + 1 < _firstAtClinic[patient]) _firstAtClinic[patient] = month + 1; }
        else if (!_firstAtOtherClinics.TryGetValue((patient, clinic), out var m) || month < m) _firstAtOtherClinics[(patient, clinic)] = month;
    }

    /// <summary>Each patient's first month anywhere (clinic ALL) and at each clinic they attended.</summary>
    private IEnumerable<(int Month, int Clinic)> FirstMonths()
    {
        for (var p = 0; p < _patients.Count; p++)
        {
            if (_firstAnywhere[p] == 0) continue;
            yield return (_firstAnywhere[p] - 1, TextIndex.All);
            yield return (_firstAtClinic[p] - 1, _firstClinic[p] - 1);
        }
        foreach (var ((_, clinic), month) in _firstAtOtherClinics) yield return (month, clinic);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Safety((int, int, int) key, bool hasAdverseEvent, double? downtimeDays, int patient)
    {
        if (!_safety.TryGetValue(key, out var c)) _safety.Add(key, c = new SafetyCell(_cellCount++));
        c.Sessions++;
        if (_cellPatients.Add(c.Id, patient)) c.Patients++;
        if (hasAdverseEvent) c.WithAdverseEvent++;
        if (downtimeDays is { } d)
        {
            c.DowntimeSum += d;
            c.DowntimeCount++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Activity((int, int) key, int patient)
    {
        if (!_activity.TryGetValue(key, out var c)) _activity.Add(key, c = new ActivityCell(_cellCount++));
        c.Sessions++;
        if (_cellPatients.Add(c.Id, patient)) c.Patients++;
    }

    private void Revenue((int, int, int) key, decimal price)
    {
        if (!_revenue.TryGetValue(key, out var c)) _revenue.Add(key, c = new RevenueCell());
        c.Sessions++;
        c.Sum += price;
    }

    private sealed class SafetyCell(int id)
    {
        public readonly int Id = id;
        public int Patients;
        public int Sessions;
        public int WithAdverseEvent;
        public double DowntimeSum;
        public int DowntimeCount;
    }

    private sealed class ActivityCell(int id)
    {
        public readonly int Id = id;
        public int Patients;
        public int NewPatients;
        public int Sessions;
    }

    private sealed class RevenueCell
    {
        public int Sessions;
        public decimal Sum;
    }
}
