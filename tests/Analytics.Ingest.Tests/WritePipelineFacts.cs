using Analytics.Ingest.Bulk;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Ingest.Tests;

/// <summary>
/// The import reads and validates on one thread while a write task does every database call. These pin down
/// what must not change with that split: a failing write fails the whole batch and leaves nothing behind,
/// conflicts far apart in a file still reject every row of the id, and rejects come out complete and in line order.
/// Files here are a few thousand rows so they span several write chunks.
/// </summary>
public sealed class WritePipelineFacts
{
    private const int Rows = 3000;

    private static string SessionRow(int i, string? price = null) => Session(
        ("session_id", $"S{i:D5}"), ("course_id", $"C{i / 3:D5}"), ("patient_ref", $"PAT-{i / 3:D5}"),
        ("session_date", new DateOnly(2024, 1, 1).AddDays(i % 300).ToString("yyyy-MM-dd")), ("price", price ?? "150.00"));

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task A_write_failing_on_the_write_task_fails_the_import_and_applies_nothing(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        // A row near the end of the file fails inside the database, long after the reader has moved on.
        await using (var ctx = db.CreateContext())
        {
            await ctx.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Sqlite
                ? """
                  CREATE TRIGGER planted_failure BEFORE INSERT ON "sessions" WHEN NEW."Id" = 'S02900'
                  BEGIN SELECT RAISE(ABORT, 'planted write failure'); END;
                  """
                : """
                  CREATE FUNCTION planted_failure() RETURNS trigger AS $$
                  BEGIN IF NEW."Id" = 'S02900' THEN RAISE EXCEPTION 'planted write failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
                  CREATE TRIGGER planted_failure BEFORE INSERT ON "sessions" FOR EACH ROW EXECUTE FUNCTION planted_failure();
                  """);
        }
        using var drop = new Drop();
        var path = drop.Write("sessions.csv", Lines([SessionHeader, .. Enumerable.Range(0, Rows).Select(i => SessionRow(i))]));

        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Import(db, path));

        Assert.Contains("planted write failure", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Count(db, c => c.Sessions));
        Assert.Equal(0, await Count(db, c => c.Courses));
        Assert.Equal(0, await Count(db, c => c.RejectedRows));
        var batch = Assert.Single(await All(db, c => c.ImportBatches));
        Assert.Equal(ImportStatus.Failed, batch.Status);
        Assert.Contains("planted write failure", batch.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conflict_between_the_first_and_the_last_row_rejects_both_lines_and_applies_the_rest()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        // Line 2 holds S00001; the last line repeats it with another price (a conflict), and line 3 is repeated
        // exactly in the middle (applied once).
        var rows = Enumerable.Range(1, Rows).Select(i => SessionRow(i)).ToList();
        rows.Insert(Rows / 2, SessionRow(2));
        rows.Add(SessionRow(1, price: "99.00"));
        var path = drop.Write("sessions.csv", Lines([SessionHeader, .. rows]));

        var summary = await Import(db, path);

        var rejects = summary.Rejects.Select(r => (r.Line, r.RecordId, r.ReasonCode)).ToList();
        Assert.Equal([(2, "S00001", RejectReasons.DuplicateIdConflict), (Rows + 3, "S00001", RejectReasons.DuplicateIdConflict)], rejects);
        Assert.Equal((Rows + 2, Rows - 1, 1, 2), (summary.RowsRead, summary.Applied, summary.Unchanged, summary.Rejected));
        var stored = await All(db, c => c.Sessions.Select(s => s.Id));
        Assert.Equal(Rows - 1, stored.Count);
        Assert.DoesNotContain("S00001", stored);
        Assert.Equal(rejects.Select(r => (r.Line, r.RecordId)),
            (await All(db, c => c.RejectedRows.OrderBy(r => r.Id))).Select(r => (r.Line, r.RecordId)));
    }

    [Fact]
    public async Task Rejects_spread_over_many_chunks_are_all_stored_in_line_order()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        // Every 7th row has an unknown sex code; the others are fine.
        var rows = Enumerable.Range(0, Rows).Select(i => i % 7 == 0
            ? Session(("session_id", $"S{i:D5}"), ("course_id", $"C{i / 3:D5}"), ("patient_ref", $"PAT-{i / 3:D5}"), ("patient_sex", "q"))
            : SessionRow(i));
        var path = drop.Write("sessions.csv", Lines([SessionHeader, .. rows]));

        var summary = await Import(db, path);

        var expectedLines = Enumerable.Range(0, Rows).Where(i => i % 7 == 0).Select(i => i + 2).ToList();
        Assert.Equal(expectedLines, summary.Rejects.Select(r => r.Line));
        Assert.All(summary.Rejects, r => Assert.Equal(RejectReasons.UnknownCode, r.ReasonCode));
        var stored = await All(db, c => c.RejectedRows.OrderBy(r => r.Id));
        Assert.Equal(expectedLines, stored.Select(r => r.Line));
        Assert.Equal(Rows - expectedLines.Count, await Count(db, c => c.Sessions));
    }

    [Fact]
    public async Task The_write_queue_runs_calls_in_order_and_after_a_failure_reports_the_first_error_and_skips_the_rest()
    {
        var ran = new List<int>();
        await using var queue = new WriteQueue(capacity: 2);
        for (var i = 0; i < 5; i++)
        {
            var n = i;
            await queue.PostAsync(() => { ran.Add(n); return Task.CompletedTask; }, CancellationToken.None);
        }
        Assert.Equal(42, await queue.RunAsync(() => Task.FromResult(42), CancellationToken.None));
        Assert.Equal([0, 1, 2, 3, 4], ran);

        await queue.PostAsync(() => throw new InvalidOperationException("first"), CancellationToken.None);
        await queue.PostAsync(() => throw new InvalidOperationException("second"), CancellationToken.None).AsTask()
            .ContinueWith(_ => { }, TaskScheduler.Default); // may already see the failure
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.DrainAsync(CancellationToken.None));
        Assert.Equal("first", error.Message);
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.PostAsync(() => { ran.Add(99); return Task.CompletedTask; }, CancellationToken.None).AsTask());
        Assert.Equal("first", again.Message);
        Assert.DoesNotContain(99, ran);
    }

    [Fact]
    public async Task The_stored_content_hash_is_the_first_128_bits_of_the_sha256_of_the_canonical_row_in_hex()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        var path = drop.Write("sessions.csv", Lines(SessionHeader, SessionRow(1)));
        await Import(db, path);

        var validator = new RowValidator(AsOf, new PatientPseudonymiser(Key));
        var fields = ReadingFacts.ParseSimple(SessionRow(1));
        var expected = validator.ContentHash(InputKind.Sessions, new RowFields(fields, [.. Enumerable.Range(0, fields.Length)]));
        var stored = Assert.Single(await All(db, c => c.Sessions.Select(s => s.ContentHash)));
        Assert.Equal(expected.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), stored);
        Assert.Equal(expected, RowValidator.HashKey(stored));
    }

    [Fact]
    public async Task Answers_naming_a_session_count_as_awaiting_only_when_it_is_neither_stored_nor_written_by_this_import()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        // S0 is stored by an earlier import; this one writes S1 and rejects S2 (unknown area).
        await Import(db, drop.Write("sessions.csv", Lines(SessionHeader, Session(("session_id", "S0"), ("course_id", "C1")))));
        var folder = Path.Combine(drop.Folder, "second");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "sessions.csv"), Lines(SessionHeader,
            Session(("session_id", "S1"), ("course_id", "C1")), Session(("session_id", "S2"), ("course_id", "C1"), ("area", "elbow"))));
        File.WriteAllText(Path.Combine(folder, "satisfaction.csv"), Lines(SatisfactionHeader,
            Answer(("response_id", "R0"), ("session_id", "S0")), Answer(("response_id", "R1"), ("session_id", "S1")),
            Answer(("response_id", "R2"), ("session_id", "S2")), Answer(("response_id", "R9"), ("session_id", "S9"))));

        var summary = await Import(db, folder);

        var answers = Assert.Single(summary.Files, f => f.Kind == InputKind.Satisfaction);
        Assert.Equal((4, 2), (answers.Applied, answers.AwaitingCourse)); // R2 and R9
    }

    [Fact]
    public void Id_keys_of_distinct_ids_are_distinct_and_stable()
    {
        // Id shapes of the samples and of other clinic systems: zero-padded counters, prefixes, GUIDs, long and short.
        var ids = Enumerable.Range(0, 200_000).SelectMany(i => new[]
        {
            $"c{i % 40:D2}-s{i:D7}", $"S{i}", $"{i}", new Guid(i, 0, 0, new byte[8]).ToString(), $"clinic-{i % 3}/session/{i * 7919}",
        }).Distinct(StringComparer.Ordinal).ToList();
        var keys = ids.Select(IdKey.Of).ToHashSet();
        Assert.Equal(ids.Count, keys.Count);
        Assert.Equal(IdKey.Of("c01-s0000001"), IdKey.Of(new string("c01-s0000001".AsSpan())));
        Assert.NotEqual(IdKey.Of("a"), IdKey.Of("a\0"));
    }
}
