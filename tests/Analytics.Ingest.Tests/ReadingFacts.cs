using ClosedXML.Excel;

namespace Analytics.Ingest.Tests;

/// <summary>CSV dialect (BOM, quoting, column order, extra columns, line numbers) and .xlsx workbooks.</summary>
public sealed class ReadingFacts
{
    [Fact]
    public async Task Files_with_and_without_BOM_import_the_same()
    {
        using var db1 = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var db2 = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var a = new Drop();
        using var b = new Drop();
        var text = Lines(SessionHeader, Session(), Session(("session_id", "S2"), ("session_date", "2025-02-01")));
        a.Write("sessions.csv", text, bom: true);
        b.Write("sessions.csv", text, bom: false);
        var s1 = await Import(db1, a.Folder);
        var s2 = await Import(db2, b.Folder);
        Assert.Equal((2, 0), (s1.Applied, s1.Rejected));
        Assert.Equal((2, 0), (s2.Applied, s2.Rejected));
        Assert.Empty(s1.Files[0].ExtraColumns); // the BOM is not glued to the first column name
        Assert.Equal(await Dump(db1), await Dump(db2));
    }

    [Fact]
    public async Task Quoted_fields_with_commas_quotes_and_line_breaks_are_read_and_lines_stay_physical()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader,
            Session(("clinic_name", "Clinic, \"Central\"\nsecond floor")),
            Session(("session_id", "S2"), ("passes", "99"))));
        var s = await Import(db, drop.Folder);
        var reject = Assert.Single(s.Rejects);
        Assert.Equal(4, reject.Line); // header 1, first record spans lines 2-3
        Assert.Equal("Clinic, \"Central\"\nsecond floor", (await All(db, c => c.Clinics)).Single().Name);
    }

    [Fact]
    public async Task Column_order_is_free_and_extra_columns_are_ignored_and_reported_once()
    {
        using var db1 = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var db2 = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var plain = new Drop();
        using var shuffled = new Drop();
        var rows = new[] { Session(), Session(("session_id", "S2"), ("session_date", "2025-02-01"), ("combination", "prp;laser")) };
        plain.Write("sessions.csv", Lines([SessionHeader, .. rows]));

        var order = Enumerable.Range(0, InputSpecs.SessionColumns.Count).Reverse().ToArray();
        string Shuffle(string header, string row, string extraValue)
        {
            var h = header.Split(',');
            var fields = ParseSimple(row);
            return string.Join(',', order.Select(i => Quote(h == null ? "" : fields[i])).Append(extraValue));
        }
        var header = string.Join(',', order.Select(i => InputSpecs.SessionColumns[i]).Append("notes"));
        shuffled.Write("sessions.csv", Lines([header, .. rows.Select(r => Shuffle(SessionHeader, r, "free text"))]));

        var s1 = await Import(db1, plain.Folder);
        var s2 = await Import(db2, shuffled.Folder);
        Assert.Equal(["notes"], s2.Files[0].ExtraColumns);
        Assert.Equal(1, CountOccurrences(s2.ToTable(), "notes"));
        Assert.Equal((2, 0), (s2.Applied, s2.Rejected));
        Assert.Equal(await Dump(db1), await Dump(db2));
        var notes = (await All(db2, c => c.ImportBatches)).Single().Notes;
        Assert.Equal(1, CountOccurrences(notes!, "notes"));
        Assert.Empty(s1.Files[0].ExtraColumns);
    }

    [Fact]
    public async Task An_xlsx_workbook_imports_the_same_as_the_CSV_files()
    {
        using var csvDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var xlsxDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var csv = new Drop();
        using var xlsx = new Drop();
        var files = new (string Sheet, string Header, string[] Rows)[]
        {
            ("sessions", SessionHeader, [Session(), Session(("session_id", "S2"), ("session_date", "2025-02-01"), ("combination", "prp;laser"), ("adverse_events", "pih")),
                Session(("session_id", "S3"), ("fitzpatrick_type", "9"))]),
            ("assessments", AssessmentHeader, [Assessment(), Assessment(("assessment_id", "A2"), ("timepoint", "follow_up"), ("assessed_on", "2025-05-01"), ("score", "1.5"))]),
            ("satisfaction", SatisfactionHeader, [Answer(), Answer(("response_id", "R2"), ("score", "12"))]),
        };
        using (var wb = new XLWorkbook())
        {
            foreach (var (sheet, header, rows) in files)
            {
                csv.Write(sheet + ".csv", Lines([header, .. rows]));
                var ws = wb.AddWorksheet(sheet);
                var all = new[] { header.Split(',') }.Concat(rows.Select(ParseSimple)).ToList();
                for (var r = 0; r < all.Count; r++)
                    for (var c = 0; c < all[r].Length; c++)
                        ws.Cell(r + 1, c + 1).SetValue(all[r][c]);
            }
            // A real date cell and a numeric cell, as spreadsheet users type them.
            wb.Worksheet("assessments").Cell(3, 5).SetValue(new DateTime(2025, 5, 1));
            wb.Worksheet("assessments").Cell(3, 7).SetValue(1.5);
            wb.SaveAs(Path.Combine(xlsx.Folder, "export.xlsx"));
        }
        var a = await Import(csvDb, csv.Folder);
        var b = await Import(xlsxDb, Path.Combine(xlsx.Folder, "export.xlsx"));
        Assert.Equal((a.RowsRead, a.Applied, a.Rejected), (b.RowsRead, b.Applied, b.Rejected));
        Assert.Equal(a.Rejects.Select(r => (r.Line, r.ReasonCode, r.Column)), b.Rejects.Select(r => (r.Line, r.ReasonCode, r.Column)));
        Assert.Equal("export.xlsx#sessions", b.Rejects[0].File);
        Assert.Equal(await Dump(csvDb), await Dump(xlsxDb));
    }

    /// <summary>The rows of every imported table (batch ids left out), sorted, as text.</summary>
    internal static async Task<string> Dump(TestDatabase db)
    {
        await using var ctx = db.CreateContext();
        var lines = new List<string>();
        lines.AddRange(ctx.Sessions.AsEnumerable().Select(s => $"S|{s.Id}|{s.ClinicId}|{s.PractitionerId}|{s.PatientId}|{s.CourseId}|{s.Concern}|{s.SessionDate}|{s.Month}|{s.PatientBirthYear}|{s.PatientSex}|{s.FitzpatrickType}|{s.Area}|{s.Device}|{s.NeedleDepthMm}|{s.Passes}|{s.DowntimeDays}|{s.Price}|{s.Currency}|{s.HasAdverseEvent}|{s.ContentHash}"));
        lines.AddRange(ctx.SessionAdjuncts.AsEnumerable().Select(a => $"SA|{a.SessionId}|{a.Adjunct}"));
        lines.AddRange(ctx.SessionAdverseEvents.AsEnumerable().Select(a => $"SE|{a.SessionId}|{a.Event}"));
        lines.AddRange(ctx.Assessments.AsEnumerable().Select(a => $"A|{a.Id}|{a.PatientId}|{a.CourseId}|{a.Instrument}|{a.AssessedOn}|{a.Month}|{a.Timepoint}|{a.Score}|{a.AssessorId}|{a.ContentHash}"));
        lines.AddRange(ctx.SatisfactionResponses.AsEnumerable().Select(a => $"R|{a.Id}|{a.PatientId}|{a.CourseId}|{a.SessionId}|{a.RespondedOn}|{a.Month}|{a.Instrument}|{a.Score}|{a.ContentHash}"));
        lines.AddRange(ctx.Courses.AsEnumerable().Select(c => $"C|{c.Id}|{c.PatientId}|{c.ClinicId}|{c.Concern}|{c.PractitionerId}|{c.FirstSessionDate}|{c.LastSessionDate}|{c.SessionCount}|{c.Protocol}|{c.BirthYear}|{c.Sex}|{c.FitzpatrickType}"));
        lines.AddRange(ctx.Patients.AsEnumerable().Select(p => $"P|{p.Id}|{p.BirthYear}|{p.Sex}|{p.FitzpatrickType}"));
        lines.AddRange(ctx.Clinics.AsEnumerable().Select(c => $"CL|{c.Id}|{c.Name}"));
        lines.AddRange(ctx.Practitioners.AsEnumerable().Select(p => $"PR|{p.Id}|{p.ClinicId}"));
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    /// <summary>Splits a row produced by Kit (fields quoted only when needed) back into fields.</summary>
    internal static string[] ParseSimple(string row)
    {
        using var reader = new StringReader(row);
        using var parser = new CsvHelper.CsvParser(reader, System.Globalization.CultureInfo.InvariantCulture);
        parser.Read();
        return parser.Record!;
    }

    private static int CountOccurrences(string text, string word)
    {
        var n = 0;
        for (var i = text.IndexOf(word, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
