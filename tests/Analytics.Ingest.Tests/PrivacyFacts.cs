using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Ingest.Tests;

/// <summary>patient_ref is pseudonymised with a keyed hash and stored nowhere.</summary>
public sealed class PrivacyFacts
{
    [Fact]
    public void The_pseudonym_is_HMAC_SHA256_hex()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        var p = new PatientPseudonymiser(Encoding.UTF8.GetBytes("Jefe"));
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", p.Pseudonym("what do ya want for nothing?"));
    }

    [Fact]
    public void A_configured_key_is_read_as_base64_or_as_text()
    {
        var bytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        Assert.Equal(bytes, PatientPseudonymiser.ParseKey(Convert.ToBase64String(bytes)));
        Assert.Equal(Encoding.UTF8.GetBytes("my clinic secret"), PatientPseudonymiser.ParseKey("my clinic secret"));
    }

    [Fact]
    public void Without_a_configured_key_one_random_key_file_is_created_beside_the_SQLite_database_and_reused()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"key-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(dir, "a.db")}" };
            var first = PatientPseudonymiser.Create(new PrivacyOptions(), options, NullLogger.Instance);
            Assert.True(File.Exists(Path.Combine(dir, PatientPseudonymiser.KeyFileName)));
            var second = PatientPseudonymiser.Create(new PrivacyOptions(), options, NullLogger.Instance);
            Assert.Equal(first.Pseudonym("PAT-1"), second.Pseudonym("PAT-1"));
            var configured = PatientPseudonymiser.Create(new PrivacyOptions { PatientKey = "other" }, options, NullLogger.Instance);
            Assert.NotEqual(first.Pseudonym("PAT-1"), configured.Pseudonym("PAT-1"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task No_raw_patient_ref_is_in_the_database_file_or_the_rejects_csv()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        const string refA = "RAWREF-ALPHA-7731", refB = "RAWREF-BRAVO-8842", refC = "RAWREF-CHARLIE-9953";
        drop.Write("sessions.csv", Lines(SessionHeader,
            Session(("patient_ref", refA)),
            Session(("session_id", "S2"), ("patient_ref", refB), ("passes", "99")))); // rejected: raw row stored masked
        drop.Write("assessments.csv", Lines(AssessmentHeader,
            Assessment(("patient_ref", refA)), Assessment(("assessment_id", "A2"), ("patient_ref", refC), ("score", "9"))));
        drop.Write("satisfaction.csv", Lines(SatisfactionHeader, Answer(("patient_ref", refC))));
        await Import(db, drop.Folder);
        // Change one row so that change_log has an entry about a patient change.
        drop.Write("sessions.csv", Lines(SessionHeader, Session(("patient_ref", refC))));
        var second = await Import(db, drop.Folder);
        Assert.Equal(1, second.Updated);

        var rejectsCsv = Path.Combine(drop.Folder, "rejects.csv");
        await new RejectsExporter(db.Options).WriteCsvAsync(rejectsCsv, includeMessage: true);

        var file = new SqliteConnectionStringBuilder(db.Options.ConnectionString).DataSource;
        await using (var conn = new SqliteConnection(db.Options.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await cmd.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();
        var contents = new List<byte[]> { await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(rejectsCsv) };
        if (File.Exists(file + "-wal")) contents.Add(await File.ReadAllBytesAsync(file + "-wal"));
        Assert.True(contents[1].Length > 20);
        foreach (var raw in new[] { refA, refB, refC, "RAWREF" })
        {
            foreach (var bytes in contents)
            {
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(raw)));
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(raw)));
            }
        }
        // The pseudonym itself is stored.
        var pseudonym = new PatientPseudonymiser(Key).Pseudonym(refA);
        Assert.NotEqual(-1, contents[0].AsSpan().IndexOf(Encoding.UTF8.GetBytes(pseudonym)));
    }
}
