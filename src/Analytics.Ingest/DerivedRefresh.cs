using System.Data.Common;
using System.Globalization;
using Analytics.Domain;
using Analytics.Ingest.Bulk;
using static Analytics.Ingest.Bulk.BulkTables;

namespace Analytics.Ingest;

/// <summary>
/// Recomputes the derived <c>courses</c> and <c>patients</c> rows touched by an import, following the
/// contract's definitions. A course or patient new in this import is aggregated from the file's rows as
/// they stream past (all its sessions are in the file); one already stored is recomputed from ALL its
/// stored sessions after the upsert. Every "first" is by session date, then id (ordinal), so the result
/// does not depend on read order.
/// </summary>
internal sealed class DerivedRefresh(IBulkWriter w, IReadOnlySet<string> storedCourses, IReadOnlySet<string> storedPatients,
    int largeLoad, Action<string, TimeSpan> phase, CancellationToken ct)
{
    private readonly record struct Key(DateOnly Date, string Id)
    {
        public bool Before(Key other) => ImportRun.Before(Date, Id, other.Date, other.Id);
    }

    private readonly record struct SessionFacts(Key Key, string CourseId, string PatientId, string ClinicId, string PractitionerId,
        string Concern, int? BirthYear, string? Sex, int? Fitzpatrick);

    // Structs and inline fields: one new course or patient of a first load costs one small object, not eight.
    private struct FirstValue<T>
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
        public FirstValue<int?> Birth, Fitz;
        public FirstValue<string> Sex;
        // Sessions per practitioner: almost every course has one, kept inline; others in a short list.
        private string? _practitioner;
        private int _practitionerCount;
        private Key _practitionerEarliest;
        private List<(string Id, int Count, Key Earliest)>? _others;
        // Adjuncts of the catalogue as bits of Codes.Adjuncts; anything else (not expected) in a set.
        private ulong _adjunctBits;
        private SortedSet<string>? _otherAdjuncts;

        public void AddPractitioner(string id, Key key)
        {
            if (_practitioner is null || _practitioner == id)
            {
                if (_practitioner is null || key.Before(_practitionerEarliest)) _practitionerEarliest = key;
                _practitioner = id;
                _practitionerCount++;
                return;
            }
            _others ??= [];
            for (var i = 0; i < _others.Count; i++)
            {
                if (_others[i].Id != id) continue;
                var p = _others[i];
                _others[i] = (id, p.Count + 1, key.Before(p.Earliest) ? key : p.Earliest);
                return;
            }
            _others.Add((id, 1, key));
        }

        /// <summary>Practitioner of most sessions; ties go to the one whose earliest session comes first.</summary>
        public string Practitioner()
        {
            var (best, count, earliest) = (_practitioner!, _practitionerCount, _practitionerEarliest);
            foreach (var (id, n, e) in _others ?? [])
            {
                if (n > count || (n == count && e.Before(earliest))) (best, count, earliest) = (id, n, e);
            }
            return best;
        }

        public void AddAdjunct(string adjunct)
        {
            var i = AdjunctIndex(adjunct);
            if (i >= 0) _adjunctBits |= 1UL << i;
            else (_otherAdjuncts ??= new SortedSet<string>(StringComparer.Ordinal)).Add(adjunct);
        }

        public IEnumerable<string> Adjuncts()
        {
            for (var i = 0; i < Codes.Adjuncts.Count && i < 64; i++)
            {
                if ((_adjunctBits & (1UL << i)) != 0) yield return Codes.Adjuncts[i];
            }
            foreach (var a in _otherAdjuncts ?? []) yield return a;
        }

        private static int AdjunctIndex(string adjunct)
        {
            for (var i = 0; i < Codes.Adjuncts.Count && i < 64; i++)
            {
                if (Codes.Adjuncts[i] == adjunct) return i;
            }
            return -1;
        }
    }

    private sealed class PatientAgg
    {
        public FirstValue<int?> Birth, Fitz;
        public FirstValue<string> Sex;
    }

    private readonly Dictionary<string, CourseAgg> _courses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PatientAgg> _patients = new(StringComparer.Ordinal);
    private readonly HashSet<string> _storedCoursesTouched = new(StringComparer.Ordinal);
    private readonly HashSet<string> _storedPatientsTouched = new(StringComparer.Ordinal);

    public bool Any => _courses.Count > 0 || _newCourseRows is { Count: > 0 } || _storedCoursesTouched.Count > 0;

    // Rows of the courses and patients new in this import, built by PrepareNewRows (reading side) once all sessions are added.
    private List<object?[]>? _newCourseRows;
    private Dictionary<string, CourseFacts>? _newCourseFacts;
    private List<object?[]>? _newPatientRows;

    /// <summary>
    /// Builds the rows of the courses and patients first seen in this import (no database needed), so the write
    /// task only writes them. Call after the last <see cref="Add"/>; <see cref="WriteAsync"/> then adds the stored ones.
    /// </summary>
    public void PrepareNewRows()
    {
        _newCourseRows = new List<object?[]>(_courses.Count);
        _newCourseFacts = new Dictionary<string, CourseFacts>(_courses.Count, StringComparer.Ordinal);
        foreach (var (id, c) in _courses)
        {
            _newCourseRows.Add(CourseRow(id, c));
            _newCourseFacts[id] = new CourseFacts(c.Concern, c.First.Date, c.ClinicId);
        }
        _newPatientRows = [.. _patients.Select(kv => PatientRow(kv.Key, kv.Value))];
        _courses.Clear();
        _patients.Clear();
    }

    private static object?[] CourseRow(string id, CourseAgg c) =>
    [
        id, c.PatientId, c.ClinicId, c.Concern, c.Practitioner(), c.First.Date, c.Last.Date, c.Count, Codes.Protocol(c.Adjuncts()),
        c.Birth.Value, c.Sex.Value, c.Fitz.Value,
    ];

    private static object?[] PatientRow(string id, PatientAgg p) => [id, p.Birth.Value, p.Sex.Value, p.Fitz.Value];

    /// <summary>Key order: SQLite appends to the primary-key B-tree instead of inserting at random places.</summary>
    private static void SortById(List<object?[]> rows) => rows.Sort((a, b) => string.CompareOrdinal((string)a[0]!, (string)b[0]!));

    /// <summary>Notes one applied (new or updated) session of this import.</summary>
    public void Add(SessionRecord s)
    {
        var facts = new SessionFacts(new Key(s.Date, s.Id), s.CourseId, s.PatientId, s.ClinicId, s.PractitionerId, s.Concern, s.BirthYear, s.Sex, s.Fitzpatrick);
        if (storedCourses.Contains(s.CourseId)) _storedCoursesTouched.Add(s.CourseId);
        else
        {
            var c = AddCourse(_courses, facts);
            foreach (var a in s.Adjuncts) c.AddAdjunct(a);
        }
        if (storedPatients.Contains(s.PatientId)) _storedPatientsTouched.Add(s.PatientId);
        else AddPatient(_patients, facts);
    }

    /// <summary>An updated session's previous course and patient: recomputed too (the session may have moved).</summary>
    public void TouchStored(string courseId, string patientId)
    {
        _storedCoursesTouched.Add(courseId);
        _storedPatientsTouched.Add(patientId);
    }

    /// <summary>Writes the refreshed rows; returns what the course rules need of every touched course.</summary>
    public async Task<Dictionary<string, CourseFacts>> WriteAsync()
    {
        const string select = "SELECT \"Id\", \"CourseId\", \"PatientId\", \"ClinicId\", \"PractitionerId\", \"Concern\", \"SessionDate\", \"PatientBirthYear\", \"PatientSex\", \"FitzpatrickType\" FROM \"sessions\"";
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var courses = new Dictionary<string, CourseAgg>(StringComparer.Ordinal);
        var patients = new Dictionary<string, PatientAgg>(StringComparer.Ordinal);
        // Many keys: one full scan feeds both aggregates. Few keys: IN-filtered queries.
        var oneScan = _storedCoursesTouched.Count + _storedPatientsTouched.Count > 10_000;
        if (oneScan)
        {
            await foreach (var r in DbValues.QueryAsync(w, select, ct))
            {
                var inCourse = _storedCoursesTouched.Contains(r.GetString(1));
                var inPatient = _storedPatientsTouched.Contains(r.GetString(2));
                if (!inCourse && !inPatient) continue;
                var f = Read(r);
                if (inCourse) AddCourse(courses, f);
                if (inPatient) AddPatient(patients, f);
            }
        }
        else
        {
            await foreach (var r in DbValues.QueryFilteredAsync(w, select, "CourseId", _storedCoursesTouched, ct)) AddCourse(courses, Read(r));
            await foreach (var r in DbValues.QueryFilteredAsync(w, select, "PatientId", _storedPatientsTouched, ct)) AddPatient(patients, Read(r));
        }
        const string adjunctSql = "SELECT \"CourseId\", \"Adjunct\" FROM (SELECT s.\"CourseId\" AS \"CourseId\", a.\"Adjunct\" AS \"Adjunct\" FROM \"session_adjuncts\" a JOIN \"sessions\" s ON s.\"Id\" = a.\"SessionId\") x";
        await foreach (var r in DbValues.QueryFilteredAsync(w, adjunctSql, "CourseId", _storedCoursesTouched, ct))
        {
            if (courses.TryGetValue(r.GetString(0), out var c)) c.AddAdjunct(r.GetString(1));
        }
        if (_newCourseRows is null) PrepareNewRows();
        // A stored course left without sessions (its sessions moved to another course) is removed.
        var emptied = _storedCoursesTouched.Where(id => !courses.ContainsKey(id) && !_newCourseFacts!.ContainsKey(id)).ToList();
        if (emptied.Count > 0) await w.DeleteAsync("courses", "Id", emptied, ct);

        phase("derived: read stored sessions", System.Diagnostics.Stopwatch.GetElapsedTime(start));
        start = System.Diagnostics.Stopwatch.GetTimestamp();
        var courseRows = _newCourseRows!;
        var facts = _newCourseFacts!;
        foreach (var (id, c) in courses)
        {
            courseRows.Add(CourseRow(id, c));
            facts[id] = new CourseFacts(c.Concern, c.First.Date, c.ClinicId);
        }
        SortById(courseRows);
        phase("derived: aggregate", System.Diagnostics.Stopwatch.GetElapsedTime(start));
        start = System.Diagnostics.Stopwatch.GetTimestamp();
        // A large first load: build the courses' secondary indexes once, sorted, after the rows (as for sessions).
        IReadOnlyList<string> dropped = w is SqliteBulkWriter sqlite && courseRows.Count >= largeLoad && courseRows.Count >= storedCourses.Count
            ? await sqlite.DropSecondaryIndexesAsync("courses", ct) : [];
        foreach (var chunk in courseRows.Chunk(5000)) await w.WriteAsync(Courses, BulkMode.Upsert, chunk, ct);
        if (dropped.Count > 0) await ((SqliteBulkWriter)w).CreateIndexesAsync(dropped, ct);
        phase("derived: write courses", System.Diagnostics.Stopwatch.GetElapsedTime(start));
        start = System.Diagnostics.Stopwatch.GetTimestamp();
        var patientRows = _newPatientRows!;
        patientRows.AddRange(patients.Select(kv => PatientRow(kv.Key, kv.Value)));
        SortById(patientRows);
        foreach (var chunk in patientRows.Chunk(5000)) await w.WriteAsync(Patients, BulkMode.Upsert, chunk, ct);
        phase("derived: write patients", System.Diagnostics.Stopwatch.GetElapsedTime(start));
        return facts;
    }

    private static SessionFacts Read(DbDataReader r) => new(
        new Key(DbValues.Date(r.GetValue(6)), r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
        IntOrNull(r, 7), r.IsDBNull(8) ? null : r.GetString(8), IntOrNull(r, 9));

    private static CourseAgg AddCourse(Dictionary<string, CourseAgg> courses, SessionFacts s)
    {
        var key = s.Key;
        if (!courses.TryGetValue(s.CourseId, out var c))
        {
            courses[s.CourseId] = c = new CourseAgg { First = key, Last = key };
            Take(c, s);
        }
        else if (key.Before(c.First))
        {
            c.First = key;
            Take(c, s);
        }
        if (c.Last.Before(key)) c.Last = key;
        c.Count++;
        c.Birth.Offer(key, s.BirthYear);
        c.Fitz.Offer(key, s.Fitzpatrick);
        c.Sex.Offer(key, s.Sex);
        c.AddPractitioner(s.PractitionerId, key);
        return c;
    }

    private static void AddPatient(Dictionary<string, PatientAgg> patients, SessionFacts s)
    {
        if (!patients.TryGetValue(s.PatientId, out var p)) patients[s.PatientId] = p = new PatientAgg();
        p.Birth.Offer(s.Key, s.BirthYear);
        p.Fitz.Offer(s.Key, s.Fitzpatrick);
        p.Sex.Offer(s.Key, s.Sex);
    }

    private static int? IntOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    private static void Take(CourseAgg c, SessionFacts s)
    {
        c.PatientId = s.PatientId;
        c.ClinicId = s.ClinicId;
        c.Concern = s.Concern;
    }
}
