using Analytics.Domain;
using Analytics.Statistics;

namespace Analytics.Outcomes;

/// <summary>
/// outcomes.csv from course outcomes: finished courses (those with a follow-up) by follow-up month, per clinic,
/// concern, protocol and instrument, plus network rows (clinic <c>ALL</c>) and concern totals (protocol <c>ALL</c>)
/// in every combination.
/// </summary>
/// <remarks>
/// courses = courses with a follow-up on the instrument; evaluable_courses per the contract; patients = distinct
/// patients of those courses (the small-cell count). Mean improvement and its Student-t interval over evaluable
/// courses (severity only; empty for global scales and for n &lt; 2 for the interval). Responder rate =
/// responders / evaluable courses with a Wilson interval. Suppressed cells keep courses, evaluable courses,
/// patients and responders.
/// </remarks>
public static class OutcomeTableBuilder
{
    public static IReadOnlyList<OutcomeRow> Build(IEnumerable<CourseOutcome> outcomes, int minCellSize, int? fromMonth = null, int? toMonth = null)
    {
        var clinics = new TextIndex();
        var concerns = new TextIndex();
        var protocols = new TextIndex();
        var instruments = new TextIndex();
        var patients = new TextIndex();
        var cells = new Dictionary<(int Month, int Clinic, int Concern, int Protocol, int Instrument), Cell>();

        foreach (var o in outcomes)
        {
            if (o.Month is not { } month) continue;
            if ((fromMonth is { } f && month < f) || (toMonth is { } t && month > t)) continue;
            int clinic = clinics[o.ClinicId], concern = concerns[o.Concern], protocol = protocols[o.Protocol], instrument = instruments[o.Instrument];
            var patient = patients[o.PatientId];
            Add((month, clinic, concern, protocol, instrument), o, patient);
            Add((month, TextIndex.All, concern, protocol, instrument), o, patient);
            Add((month, clinic, concern, TextIndex.All, instrument), o, patient);
            Add((month, TextIndex.All, concern, TextIndex.All, instrument), o, patient);
        }

        var rows = new List<OutcomeRow>(cells.Count);
        foreach (var (key, cell) in cells)
        {
            var suppressed = cell.Patients.Count < minCellSize;
            double? mean = null, low = null, high = null, rate = null, rLow = null, rHigh = null;
            if (!suppressed)
            {
                if (cell.Severity && cell.Improvements.Count > 0)
                {
                    var m = MeanInterval.Compute(cell.Improvements.Span);
                    (mean, low, high) = (m.Mean, m.CiLow, m.CiHigh);
                }
                var p = WilsonInterval.Compute(cell.Responders, cell.Evaluable);
                (rate, rLow, rHigh) = (p.Proportion, p.CiLow, p.CiHigh);
            }
            rows.Add(new OutcomeRow(
                key.Month, clinics.Text(key.Clinic), concerns.Text(key.Concern), protocols.Text(key.Protocol), instruments.Text(key.Instrument),
                cell.Courses, cell.Evaluable, cell.Patients.Count, mean, low, high, cell.Responders, rate, rLow, rHigh, suppressed));
        }
        rows.Sort(static (a, b) =>
        {
            var c = a.Month.CompareTo(b.Month);
            if (c == 0) c = KeyOrder.Compare(a.ClinicId, b.ClinicId);
            if (c == 0) c = KeyOrder.Compare(a.Concern, b.Concern);
            if (c == 0) c = KeyOrder.Compare(a.Protocol, b.Protocol);
            if (c == 0) c = KeyOrder.Compare(a.Instrument, b.Instrument);
            return c;
        });
        return rows;

        void Add((int, int, int, int, int) key, CourseOutcome o, int patient)
        {
            if (!cells.TryGetValue(key, out var cell)) cells.Add(key, cell = new Cell(o.Kind == InstrumentKind.Severity));
            cell.Courses++;
            cell.Patients.Add(patient);
            if (!o.Evaluable) return;
            cell.Evaluable++;
            if (o.Responder == true) cell.Responders++;
            if (o.ImprovementPct is { } imp) cell.Improvements.Add(imp);
        }
    }

    private sealed class Cell(bool severity)
    {
        public bool Severity { get; } = severity;
        public int Courses { get; set; }
        public int Evaluable { get; set; }
        public int Responders { get; set; }
        public HashSet<int> Patients { get; } = [];
        public Values Improvements { get; } = new();
    }
}
