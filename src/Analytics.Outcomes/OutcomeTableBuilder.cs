using System.Runtime.CompilerServices;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static IReadOnlyList<OutcomeRow> Build(IEnumerable<CourseOutcome> outcomes, int minCellSize, int? fromMonth = null, int? toMonth = null)
    {
        // Sort-based grouping: each outcome gives four cell keys (its own cell, clinic ALL, protocol ALL, both);
        // keys are packed into longs and sorted with the outcome's index, so every cell is one contiguous run and
        // is summarised with sequential reads (hash sets per cell were memory-bound at ~200k cells).
        var clinics = new TextIndex();
        var concerns = new TextIndex();
        var protocols = new TextIndex();
        var instruments = new TextIndex();
        var patients = new TextIndex();
        var facts = new List<Fact>();
        var keys = new List<long>();
        foreach (var o in outcomes)
        {
            if (o.Month is not { } month) continue;
            if ((fromMonth is { } f && month < f) || (toMonth is { } t && month > t)) continue;
            int clinic = clinics[o.ClinicId], concern = concerns[o.Concern], protocol = protocols[o.Protocol], instrument = instruments[o.Instrument];
            var index = facts.Count;
            facts.Add(new Fact(patients[o.PatientId], o.Kind == InstrumentKind.Severity, o.Evaluable, o.Responder == true, o.ImprovementPct));
            keys.Add(Pack(month, clinic, concern, protocol, instrument));
            keys.Add(Pack(month, TextIndex.All, concern, protocol, instrument));
            keys.Add(Pack(month, clinic, concern, TextIndex.All, instrument));
            keys.Add(Pack(month, TextIndex.All, concern, TextIndex.All, instrument));
        }

        var keyArray = keys.ToArray();
        var owners = new int[keyArray.Length];
        for (var i = 0; i < owners.Length; i++) owners[i] = i >> 2;
        Array.Sort(keyArray, owners);

        var rows = new List<OutcomeRow>();
        var cellPatients = new List<int>();
        var improvements = new Values();
        for (var start = 0; start < keyArray.Length;)
        {
            var end = start + 1;
            while (end < keyArray.Length && keyArray[end] == keyArray[start]) end++;
            // Input order within the cell (the sort is not stable), so sums run in the same order as before.
            Array.Sort(owners, start, end - start);
            int courses = 0, evaluable = 0, responders = 0;
            var severity = facts[owners[start]].Severity; // the instrument is part of the key
            cellPatients.Clear();
            improvements.Clear();
            for (var i = start; i < end; i++)
            {
                var fact = facts[owners[i]];
                courses++;
                cellPatients.Add(fact.Patient);
                if (!fact.Evaluable) continue;
                evaluable++;
                if (fact.Responder) responders++;
                if (fact.ImprovementPct is { } imp) improvements.Add(imp);
            }
            cellPatients.Sort();
            var distinctPatients = cellPatients.Count == 0 ? 0 : 1;
            for (var i = 1; i < cellPatients.Count; i++)
                if (cellPatients[i] != cellPatients[i - 1]) distinctPatients++;

            var suppressed = distinctPatients < minCellSize;
            double? mean = null, low = null, high = null, rate = null, rLow = null, rHigh = null;
            if (!suppressed)
            {
                if (severity && improvements.Count > 0)
                {
                    var m = MeanInterval.Compute(improvements.Span);
                    (mean, low, high) = (m.Mean, m.CiLow, m.CiHigh);
                }
                var p = WilsonInterval.Compute(responders, evaluable);
                (rate, rLow, rHigh) = (p.Proportion, p.CiLow, p.CiHigh);
            }
            var (month, clinic, concern, protocol, instrument) = Unpack(keyArray[start]);
            rows.Add(new OutcomeRow(
                month, clinics.Text(clinic), concerns.Text(concern), protocols.Text(protocol), instruments.Text(instrument),
                courses, evaluable, distinctPatients, mean, low, high, responders, rate, rLow, rHigh, suppressed));
            start = end;
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
    }

    // 19 bits month (yyyymm ≥ 0, < 524288), then clinic, concern, protocol and instrument as index + 1 (ALL = 0) in 11 bits each.
    private const int Bits = 11;
    private const long Mask = (1L << Bits) - 1;

    private static long Pack(int month, int clinic, int concern, int protocol, int instrument)
    {
        if ((uint)month >= 1 << 19 || clinic + 1 > Mask || concern + 1 > Mask || protocol + 1 > Mask || instrument + 1 > Mask)
            throw new InvalidOperationException("Too many distinct clinics, concerns, protocols or instruments for one outcome table (at most 2047 each).");
        return ((long)month << (4 * Bits)) | ((long)(clinic + 1) << (3 * Bits)) | ((long)(concern + 1) << (2 * Bits))
            | ((long)(protocol + 1) << Bits) | (long)(instrument + 1);
    }

    private static (int Month, int Clinic, int Concern, int Protocol, int Instrument) Unpack(long key) =>
        ((int)(key >> (4 * Bits)), (int)((key >> (3 * Bits)) & Mask) - 1, (int)((key >> (2 * Bits)) & Mask) - 1,
            (int)((key >> Bits) & Mask) - 1, (int)(key & Mask) - 1);

    private readonly record struct Fact(int Patient, bool Severity, bool Evaluable, bool Responder, double? ImprovementPct);
}
