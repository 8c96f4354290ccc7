using System.Diagnostics;
using System.Globalization;
using Analytics.Data;
using Analytics.Ingest;
using Analytics.Samples;
using Microsoft.Data.Sqlite;

namespace Analytics.Benchmarks.Steps;

/// <summary>
/// The import's floor: the same rows of the same three files, read with a bare CSV splitter and written with one
/// prepared INSERT per table into the same migrated schema (sessions with their adjunct and adverse-event rows,
/// assessments, satisfaction answers), one transaction per file. No validation, no pseudonymisation, no course
/// derivation, no duplicate handling: the fastest this schema takes these rows on this machine.
/// The rows are written as the importer stores them, so both write the same bytes: each patient's pseudonym (the
/// importer's HMAC with the bench key, computed for every distinct patient_ref before the clock and looked up per
/// row) and a content hash of the stored length (32 hex characters, a constant: its computation is importer work).
/// </summary>
public sealed class ImportFloorStep : IBenchStep
{
    public string Name => "import-floor";

    public async Task RunAsync(BenchPaths paths, StepReport report, CancellationToken ct)
    {
        Directory.CreateDirectory(paths.RunDir);
        BenchPaths.DeleteDatabase(paths.FloorDb);
        var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = BenchPaths.SqliteConnectionString(paths.FloorDb) };
        await using (var db = DatabaseSetup.CreateContext(options))
        {
            await DatabaseSetup.MigrateAsync(db, ct);
        }

        await using var connection = new SqliteConnection(options.EffectiveConnectionString);
        await connection.OpenAsync(ct);
        await using (var pragma = connection.CreateCommand())
        {
            // The importer's own bulk settings (SqliteBulkWriter): WAL, NORMAL sync, 200 MB page cache, temp in memory.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY;";
            await pragma.ExecuteNonQueryAsync(ct);
        }

        var files = new[] { SampleFiles.Sessions, SampleFiles.Assessments, SampleFiles.Satisfaction }.Select(f => Path.Combine(paths.LoadDir, f));
        // The sampler's label for the part running now (a reference write the sampler's thread reads).
        var phase = "patient pseudonym map (untimed)";
        var sampler = new MemorySampler(() => phase);
        var pseudonyms = StoredPatientKeys(files);
        report.Notes.Add($"patient keys as stored: {pseudonyms.Count:N0} pseudonyms computed before the clock, looked up per row; content hash column written at its stored length");

        var sw = Stopwatch.StartNew();
        phase = SampleFiles.Sessions;
        var sessions = InsertSessions(connection, Path.Combine(paths.LoadDir, SampleFiles.Sessions), pseudonyms);
        report.Breakdown.Add(new Timing(SampleFiles.Sessions, sw.Elapsed.TotalSeconds, sessions));
        report.Values["sessionsSeconds"] = sw.Elapsed.TotalSeconds;
        var lap = sw.Elapsed.TotalSeconds;
        phase = SampleFiles.Assessments;
        var assessments = InsertAssessments(connection, Path.Combine(paths.LoadDir, SampleFiles.Assessments), pseudonyms);
        report.Breakdown.Add(new Timing(SampleFiles.Assessments, sw.Elapsed.TotalSeconds - lap, assessments));
        lap = sw.Elapsed.TotalSeconds;
        phase = SampleFiles.Satisfaction;
        var answers = InsertAnswers(connection, Path.Combine(paths.LoadDir, SampleFiles.Satisfaction), pseudonyms);
        report.Breakdown.Add(new Timing(SampleFiles.Satisfaction, sw.Elapsed.TotalSeconds - lap, answers));
        sw.Stop();

        report.Seconds = sw.Elapsed.TotalSeconds;
        report.Rows = sessions + assessments + answers;
        report.Notes.Add("prepared INSERT per table, one transaction per file; WAL, synchronous=NORMAL, cache_size=-200000 (the importer's pragmas)");
        connection.Close();
        SqliteConnection.ClearAllPools();
        BenchPaths.DeleteDatabase(paths.FloorDb);
        phase = "cross-check (SqliteInsertFloor, untimed)";
        await IngestFloorCrossCheckAsync(paths, report, sessions, ct);
        report.AtPeak = sampler.Stop();
    }

    /// <summary>
    /// Cross-check with the ingest project's own floor (<c>SqliteInsertFloor</c>: synthetic session rows through the
    /// importer's INSERT statement), on up to 200,000 rows into another fresh database. Not part of the ratio.
    /// </summary>
    private static async Task IngestFloorCrossCheckAsync(BenchPaths paths, StepReport report, long sessions, CancellationToken ct)
    {
        var file = paths.FloorDb + ".ingest";
        BenchPaths.DeleteDatabase(file);
        var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = BenchPaths.SqliteConnectionString(file) };
        await using (var db = DatabaseSetup.CreateContext(options))
        {
            await DatabaseSetup.MigrateAsync(db, ct);
        }
        var n = (int)Math.Min(sessions, 200_000);
        var rate = Analytics.Ingest.Bulk.SqliteInsertFloor.InsertSessions(options.EffectiveConnectionString, Analytics.Ingest.Bulk.SqliteInsertFloor.SyntheticSessions(n));
        report.Notes.Add($"cross-check: the ingest project's SqliteInsertFloor (synthetic sessions, the importer's INSERT) ran {rate:N0} sessions/s on {n:N0} rows (not in the ratio)");
        SqliteConnection.ClearAllPools();
        BenchPaths.DeleteDatabase(file);
    }

    /// <summary>The importer stores ContentHash as 32 hex characters (the first 128 bits of the row's SHA-256).</summary>
    private static readonly string StoredHashShape = new('0', 32);

    /// <summary>Every distinct patient_ref of the files with the pseudonym the importer stores for it (untimed).</summary>
    private static Dictionary<string, string> StoredPatientKeys(IEnumerable<string> files)
    {
        var pseudonymiser = new PatientPseudonymiser(BenchKey.Bytes);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            ForEachRecord(file, (col, f) =>
            {
                var raw = f[col["patient_ref"]];
                if (!keys.ContainsKey(raw)) keys[raw] = pseudonymiser.Pseudonym(raw);
            });
        }
        return keys;
    }

    private static long InsertSessions(SqliteConnection connection, string file, Dictionary<string, string> patients)
    {
        using var tx = connection.BeginTransaction();
        using var insert = Prepare(connection, tx, "sessions",
            ["Id", "ClinicId", "PractitionerId", "PatientId", "CourseId", "Concern", "SessionDate", "Month", "PatientBirthYear",
             "PatientSex", "FitzpatrickType", "Area", "Device", "NeedleDepthMm", "Passes", "DowntimeDays", "Price", "Currency",
             "HasAdverseEvent", "ContentHash", "ImportBatchId"]);
        using var adjunct = Prepare(connection, tx, "session_adjuncts", ["SessionId", "Adjunct"]);
        using var adverse = Prepare(connection, tx, "session_adverse_events", ["SessionId", "Event"]);
        var rows = ForEachRecord(file, (col, f) =>
        {
            var p = insert.Parameters;
            var id = f[col["session_id"]];
            var date = f[col["session_date"]];
            var events = f[col["adverse_events"]];
            p[0].Value = id;
            p[1].Value = f[col["clinic_id"]];
            p[2].Value = f[col["practitioner_id"]];
            p[3].Value = patients[f[col["patient_ref"]]];
            p[4].Value = f[col["course_id"]];
            p[5].Value = f[col["concern"]];
            p[6].Value = date;
            p[7].Value = MonthOf(date);
            p[8].Value = IntOrNull(f[col["patient_birth_year"]]);
            p[9].Value = TextOrNull(f[col["patient_sex"]]);
            p[10].Value = IntOrNull(f[col["fitzpatrick_type"]]);
            p[11].Value = TextOrNull(f[col["area"]]);
            p[12].Value = TextOrNull(f[col["device"]]);
            p[13].Value = DoubleOrDbNull(f[col["needle_depth_mm"]]);
            p[14].Value = IntOrNull(f[col["passes"]]);
            p[15].Value = DoubleOrDbNull(f[col["downtime_days"]]);
            p[16].Value = TextOrNull(f[col["price"]]);
            p[17].Value = TextOrNull(f[col["currency"]]);
            p[18].Value = events.Length > 0 ? 1 : 0;
            p[19].Value = StoredHashShape;
            p[20].Value = 1;
            insert.ExecuteNonQuery();
            foreach (var a in SplitCodes(f[col["combination"]]))
            {
                adjunct.Parameters[0].Value = id;
                adjunct.Parameters[1].Value = a;
                adjunct.ExecuteNonQuery();
            }
            foreach (var e in SplitCodes(events))
            {
                adverse.Parameters[0].Value = id;
                adverse.Parameters[1].Value = e;
                adverse.ExecuteNonQuery();
            }
        });
        tx.Commit();
        return rows;
    }

    private static long InsertAssessments(SqliteConnection connection, string file, Dictionary<string, string> patients)
    {
        using var tx = connection.BeginTransaction();
        using var insert = Prepare(connection, tx, "assessments",
            ["Id", "PatientId", "CourseId", "Instrument", "AssessedOn", "Month", "Timepoint", "Score", "AssessorId", "ContentHash", "ImportBatchId"]);
        var rows = ForEachRecord(file, (col, f) =>
        {
            var p = insert.Parameters;
            var date = f[col["assessed_on"]];
            p[0].Value = f[col["assessment_id"]];
            p[1].Value = patients[f[col["patient_ref"]]];
            p[2].Value = f[col["course_id"]];
            p[3].Value = f[col["instrument"]];
            p[4].Value = date;
            p[5].Value = MonthOf(date);
            p[6].Value = f[col["timepoint"]];
            p[7].Value = DoubleOrNull(f[col["score"]]) ?? 0.0;
            p[8].Value = TextOrNull(f[col["assessor_id"]]);
            p[9].Value = StoredHashShape;
            p[10].Value = 1;
            insert.ExecuteNonQuery();
        });
        tx.Commit();
        return rows;
    }

    private static long InsertAnswers(SqliteConnection connection, string file, Dictionary<string, string> patients)
    {
        using var tx = connection.BeginTransaction();
        using var insert = Prepare(connection, tx, "satisfaction_responses",
            ["Id", "PatientId", "CourseId", "SessionId", "RespondedOn", "Month", "Instrument", "Score", "ContentHash", "ImportBatchId"]);
        var rows = ForEachRecord(file, (col, f) =>
        {
            var p = insert.Parameters;
            var date = f[col["responded_on"]];
            p[0].Value = f[col["response_id"]];
            p[1].Value = patients[f[col["patient_ref"]]];
            p[2].Value = TextOrNull(f[col["course_id"]]);
            p[3].Value = TextOrNull(f[col["session_id"]]);
            p[4].Value = date;
            p[5].Value = MonthOf(date);
            p[6].Value = f[col["instrument"]];
            p[7].Value = DoubleOrNull(f[col["score"]]) ?? 0.0;
            p[8].Value = StoredHashShape;
            p[9].Value = 1;
            insert.ExecuteNonQuery();
        });
        tx.Commit();
        return rows;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction tx, string table, string[] columns)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < columns.Length; i++) cmd.Parameters.Add(new SqliteParameter($"$p{i}", null));
        cmd.Prepare();
        return cmd;
    }

    private static long ForEachRecord(string file, Action<Dictionary<string, int>, List<string>> row)
    {
        using var reader = CsvRecords.Open(file);
        var records = new CsvRecords(reader);
        var fields = new List<string>();
        if (!records.Read(fields)) return 0;
        var columns = fields.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        long count = 0;
        while (records.Read(fields))
        {
            if (fields.Count < columns.Count) continue;
            row(columns, fields);
            count++;
        }
        return count;
    }

    private static object MonthOf(string isoDate) =>
        isoDate.Length >= 7 && int.TryParse(isoDate.AsSpan(0, 4), CultureInfo.InvariantCulture, out var y) && int.TryParse(isoDate.AsSpan(5, 2), CultureInfo.InvariantCulture, out var m)
            ? y * 100 + m
            : 0;

    private static object TextOrNull(string s) => s.Length == 0 ? DBNull.Value : s;

    private static object IntOrNull(string s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : DBNull.Value;

    private static object DoubleOrDbNull(string s) => DoubleOrNull(s) is { } v ? v : DBNull.Value;

    private static double? DoubleOrNull(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static IEnumerable<string> SplitCodes(string s) =>
        s.Length == 0 ? [] : s.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal);
}
