using System.Data.Common;

namespace Analytics.Outcomes;

/// <summary>The outcomes table's counts at its finest grain (no network rows or concern totals).</summary>
public sealed record OutcomeCount(int Month, string ClinicId, string Concern, string Protocol, string Instrument, int Courses, int EvaluableCourses, int Patients);

/// <summary>
/// The benchmark's floor: the outcomes table's counts (courses, evaluable courses, distinct patients per follow-up
/// month, clinic, concern, protocol and instrument) by one hand-written SQL statement on SQLite, following the
/// same rules (latest follow-up after the last session; latest baseline on or before the first session, ties on
/// the date to the greater id; evaluable = global, or baseline ≠ 0).
/// </summary>
public static class OutcomeCountsFloor
{
    public const string SqliteSql = """
        WITH fu AS (
            SELECT a.CourseId, a.Instrument, MAX(a.Month) AS Month
            FROM assessments a JOIN courses c ON c.Id = a.CourseId
            WHERE a.Timepoint = 'follow_up' AND a.AssessedOn > c.LastSessionDate
            GROUP BY a.CourseId, a.Instrument),
        bl AS (
            SELECT a.CourseId, a.Instrument, a.Score,
                   ROW_NUMBER() OVER (PARTITION BY a.CourseId, a.Instrument ORDER BY a.AssessedOn DESC, a.Id DESC) AS rn
            FROM assessments a JOIN courses c ON c.Id = a.CourseId
            WHERE a.Timepoint = 'baseline' AND a.AssessedOn <= c.FirstSessionDate)
        SELECT fu.Month, c.ClinicId, c.Concern, c.Protocol, fu.Instrument,
               COUNT(*) AS Courses,
               SUM(CASE WHEN i.Kind = 'Global' OR (bl.Score IS NOT NULL AND bl.Score <> 0) THEN 1 ELSE 0 END) AS Evaluable,
               COUNT(DISTINCT c.PatientId) AS Patients
        FROM fu
        JOIN courses c ON c.Id = fu.CourseId
        JOIN instruments i ON i.Code = fu.Instrument
        LEFT JOIN bl ON bl.CourseId = fu.CourseId AND bl.Instrument = fu.Instrument AND bl.rn = 1
        GROUP BY fu.Month, c.ClinicId, c.Concern, c.Protocol, fu.Instrument
        ORDER BY fu.Month, c.ClinicId, c.Concern, c.Protocol, fu.Instrument
        """;

    /// <summary>Runs <see cref="SqliteSql"/> on an open (or openable) SQLite connection.</summary>
    public static async Task<IReadOnlyList<OutcomeCount>> QueryAsync(DbConnection sqliteConnection, CancellationToken ct = default)
    {
        var opened = false;
        if (sqliteConnection.State != System.Data.ConnectionState.Open)
        {
            await sqliteConnection.OpenAsync(ct);
            opened = true;
        }
        try
        {
            await using var cmd = sqliteConnection.CreateCommand();
            cmd.CommandText = SqliteSql;
            cmd.CommandTimeout = 600;
            var rows = new List<OutcomeCount>();
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new OutcomeCount(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7)));
            }
            return rows;
        }
        finally
        {
            if (opened) await sqliteConnection.CloseAsync();
        }
    }

    /// <summary>Runs the floor on a SQLite file given by its connection string.</summary>
    public static async Task<IReadOnlyList<OutcomeCount>> QueryAsync(string sqliteConnectionString, CancellationToken ct = default)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(sqliteConnectionString);
        return await QueryAsync(connection, ct);
    }
}
