using Analytics.Domain;
using Analytics.Ingest.Bulk;
using static Analytics.Ingest.Bulk.BulkTables;

namespace Analytics.Ingest;

/// <summary>
/// Recomputes the derived <c>courses</c> and <c>patients</c> rows touched by an import from ALL their
/// stored sessions (stored before and in this batch), following the contract's definitions. Every
/// "first" is by session date, then id (ordinal), so the result does not depend on read order.
/// </summary>
internal sealed class DerivedRefresh(IBulkWriter w, CancellationToken ct)
{
    private readonly record struct Key(DateOnly Date, string Id)
    {
        public bool Before(Key other) => ImportRun.Before(Date, Id, other.Date, other.Id);
    }

    private sealed class FirstValue<T>
    {
        public Key Key;
        public T? Value;
        public bool Set;

        public void Offer(Key key, T? value)
        {
            if (value is null) return;
            if (!Set || key.Before(Key)) { Key = key; Value = value; Set = true; }
        }
    }

    private sealed class CourseAgg
    {
        public Key First;
        public Key Last;
        public string PatientId = "", ClinicId = "", Concern = "";
        public int Count;
        public readonly FirstValue<int?> Birth = new(), Fitz = new();
        public readonly FirstValue<string> Sex = new();
        public readonly Dictionary<string, (int Count, Key Earliest)> Practitioners = new(StringComparer.Ordinal);
        public readonly SortedSet<string> Adjuncts = new(StringComparer.Ordinal);
    }

    private sealed class PatientAgg
    {
        public readonly FirstValue<int?> Birth = new(), Fitz = new();
        public readonly FirstValue<string> Sex = new();
    }

    public async Task<Dictionary<string, CourseFacts>> RefreshAsync(IReadOnlySet<string> courseIds, IReadOnlySet<string> patientIds)
    {
        var courses = new Dictionary<string, CourseAgg>(StringComparer.Ordinal);
        var patients = new Dictionary<string, PatientAgg>(StringComparer.Ordinal);
        const string select = "SELECT \"Id\", \"CourseId\", \"PatientId\", \"ClinicId\", \"PractitionerId\", \"Concern\", \"SessionDate\", \"PatientBirthYear\", \"PatientSex\", \"FitzpatrickType\" FROM \"sessions\"";

        // Many keys: one full scan feeds both aggregates. Few keys: two IN-filtered queries.
        var oneScan = courseIds.Count + patientIds.Count > 10_000;
        var courseRows0 = oneScan ? DbValues.QueryAsync(w, select, ct) : DbValues.QueryFilteredAsync(w, select, "CourseId", courseIds, ct);
        await foreach (var r in courseRows0)
        {
            if (oneScan && patientIds.Contains(r.GetString(2))) AddPatient(patients, r);
            if (oneScan && !courseIds.Contains(r.GetString(1))) continue;
            AddCourse(courses, r);
        }
        if (!oneScan)
        {
            await foreach (var r in DbValues.QueryFilteredAsync(w, select, "PatientId", patientIds, ct)) AddPatient(patients, r);
        }

        const string adjunctSql = "SELECT \"CourseId\", \"Adjunct\" FROM (SELECT s.\"CourseId\" AS \"CourseId\", a.\"Adjunct\" AS \"Adjunct\" FROM \"session_adjuncts\" a JOIN \"sessions\" s ON s.\"Id\" = a.\"SessionId\") x";
        await foreach (var r in DbValues.QueryFilteredAsync(w, adjunctSql, "CourseId", courseIds, ct))
        {
            if (courses.TryGetValue(r.GetString(0), out var c)) c.Adjuncts.Add(r.GetString(1));
        }

        var courseRows = new List<object?[]>(courses.Count);
        var facts = new Dictionary<string, CourseFacts>(StringComparer.Ordinal);
        foreach (var (id, c) in courses)
        {
            // Practitioner of most sessions; ties go to the one whose earliest session comes first.
            var practitioner = c.Practitioners.OrderByDescending(p => p.Value.Count)
                .ThenBy(p => p.Value.Earliest.Date).ThenBy(p => p.Value.Earliest.Id, StringComparer.Ordinal).First().Key;
            courseRows.Add(
            [
                id, c.PatientId, c.ClinicId, c.Concern, practitioner, c.First.Date, c.Last.Date, c.Count, Codes.Protocol(c.Adjuncts),
                c.Birth.Value, c.Sex.Value, c.Fitz.Value,
            ]);
            facts[id] = new CourseFacts(c.Concern, c.First.Date, c.ClinicId);
        }
        foreach (var chunk in courseRows.Chunk(5000)) await w.WriteAsync(Courses, BulkMode.Upsert, chunk, ct);
        var patientRows = patients.Select(kv => new object?[] { kv.Key, kv.Value.Birth.Value, kv.Value.Sex.Value, kv.Value.Fitz.Value }).ToList();
        foreach (var chunk in patientRows.Chunk(5000)) await w.WriteAsync(Patients, BulkMode.Upsert, chunk, ct);
        return facts;
    }

    private static void AddCourse(Dictionary<string, CourseAgg> courses, System.Data.Common.DbDataReader r)
    {
        var key = new Key(DbValues.Date(r.GetValue(6)), r.GetString(0));
        var courseId = r.GetString(1);
        if (!courses.TryGetValue(courseId, out var c))
        {
            courses[courseId] = c = new CourseAgg { First = key, Last = key };
            Take(c, r);
        }
        else if (key.Before(c.First))
        {
            c.First = key;
            Take(c, r);
        }
        if (c.Last.Before(key)) c.Last = key;
        c.Count++;
        c.Birth.Offer(key, IntOrNull(r, 7));
        c.Fitz.Offer(key, IntOrNull(r, 9));
        c.Sex.Offer(key, r.IsDBNull(8) ? null : r.GetString(8));
        var practitioner = r.GetString(4);
        c.Practitioners[practitioner] = c.Practitioners.TryGetValue(practitioner, out var p)
            ? (p.Count + 1, key.Before(p.Earliest) ? key : p.Earliest)
            : (1, key);
    }

    private static void AddPatient(Dictionary<string, PatientAgg> patients, System.Data.Common.DbDataReader r)
    {
        var key = new Key(DbValues.Date(r.GetValue(6)), r.GetString(0));
        var patientId = r.GetString(2);
        if (!patients.TryGetValue(patientId, out var p)) patients[patientId] = p = new PatientAgg();
        p.Birth.Offer(key, IntOrNull(r, 7));
        p.Fitz.Offer(key, IntOrNull(r, 9));
        p.Sex.Offer(key, r.IsDBNull(8) ? null : r.GetString(8));
    }

    private static int? IntOrNull(System.Data.Common.DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : Convert.ToInt32(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);

    private static void Take(CourseAgg c, System.Data.Common.DbDataReader r)
    {
        c.PatientId = r.GetString(2);
        c.ClinicId = r.GetString(3);
        c.Concern = r.GetString(5);
    }
}
