using System.Runtime.CompilerServices;
using Analytics.Domain;
using Analytics.Statistics;

namespace Analytics.Outcomes;

/// <summary>One survey answer with its linked clinic (or <c>unknown</c>).</summary>
public readonly record struct AnswerFact(int Month, string ClinicId, string Instrument, string PatientId, double Score);

/// <summary>
/// satisfaction.csv: per answer month, clinic (the answer's linked clinic; <c>unknown</c> when none) and
/// instrument, plus network rows. Mean score with a Student-t interval on every instrument in its own units
/// (gais_patient keeps its 1 = best direction); promoters/passives/detractors and NPS on <c>nps</c> rows only.
/// Suppressed cells keep responses, patients and the promoter/passive/detractor counts, and leave mean,
/// interval and NPS empty.
/// </summary>
public sealed class SatisfactionTableBuilder(int minCellSize)
{
    private readonly TextIndex _clinics = new();
    private readonly TextIndex _instruments = new();
    private readonly Utf8Index _patients = new();
    private readonly CellPatientPairs _cellPatients = new();
    private readonly Dictionary<(int Month, int Clinic, int Instrument), Cell> _cells = [];

    public void Add(in AnswerFact a)
    {
        int clinic = _clinics[a.ClinicId], instrument = _instruments[a.Instrument], patient = _patients.Intern(a.PatientId);
        Add(a.Month, clinic, instrument, patient, a.Score);
    }

    // The texts as indexes of this table, for readers that intern without allocating a string per row.
    internal TextIndex Clinics => _clinics;
    internal TextIndex Instruments => _instruments;
    internal Utf8Index Patients => _patients;

    /// <summary>A reader that knows roughly how many answers follow sizes the pair table once (each answer adds up to two pairs).</summary>
    internal void ExpectAnswers(long answers) => _cellPatients.Reserve(2 * answers);

    /// <summary>An answer with its texts already interned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Add(int month, int clinic, int instrument, int patient, double score)
    {
        var isNps = _instruments.Text(instrument) == "nps";
        Add((month, clinic, instrument), score, patient, isNps);
        Add((month, TextIndex.All, instrument), score, patient, isNps);
    }

    public IReadOnlyList<SatisfactionRow> Build()
    {
        var rows = _cells.Select(kv =>
        {
            var (k, c) = (kv.Key, kv.Value);
            var suppressed = c.Patients < minCellSize;
            MeanEstimate? mean = suppressed ? null : MeanInterval.Compute(c.Scores.Span);
            NpsSummary? nps = c.IsNps ? NetPromoterScore.FromCounts(c.Promoters, c.Passives, c.Detractors) : null;
            return new SatisfactionRow(k.Month, _clinics.Text(k.Clinic), _instruments.Text(k.Instrument), c.Scores.Count, c.Patients,
                mean?.Mean, mean?.CiLow, mean?.CiHigh, nps?.Promoters, nps?.Passives, nps?.Detractors,
                suppressed ? null : nps?.Score, suppressed);
        }).ToList();
        rows.Sort(static (a, b) =>
        {
            var c = a.Month.CompareTo(b.Month);
            if (c == 0) c = KeyOrder.Compare(a.ClinicId, b.ClinicId);
            if (c == 0) c = KeyOrder.Compare(a.Instrument, b.Instrument);
            return c;
        });
        return rows;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Add((int, int, int) key, double score, int patient, bool isNps)
    {
        if (!_cells.TryGetValue(key, out var c)) _cells.Add(key, c = new Cell(_cells.Count, isNps));
        c.Scores.Add(score);
        if (_cellPatients.Add(c.Id, patient)) c.Patients++;
        if (!isNps) return;
        switch (NetPromoterScore.Classify(score))
        {
            case NpsCategory.Promoter: c.Promoters++; break;
            case NpsCategory.Passive: c.Passives++; break;
            default: c.Detractors++; break;
        }
    }

    private sealed class Cell(int id, bool isNps)
    {
        public int Id { get; } = id;
        public bool IsNps { get; } = isNps;
        public Values Scores { get; } = new();
        public int Patients { get; set; }
        public int Promoters { get; set; }
        public int Passives { get; set; }
        public int Detractors { get; set; }
    }
}
