namespace Analytics.Ingest.Bulk;

public enum BulkType
{
    Text,
    Int,
    Long,
    Double,
    Decimal,
    Date,
    Bool,
    Timestamp,
}

public sealed record BulkColumn(string Name, BulkType Type);

/// <summary>
/// A target table as the bulk writers see it: the first <see cref="KeyCount"/> columns are the key
/// (0 for tables with a generated id, which are only appended to). Rows are object arrays in column order.
/// </summary>
public sealed record BulkTable(string Name, IReadOnlyList<BulkColumn> Columns, int KeyCount)
{
    public IEnumerable<BulkColumn> Keys => Columns.Take(KeyCount);
    public IEnumerable<BulkColumn> NonKeys => Columns.Skip(KeyCount);
}

/// <summary>The tables the importer writes (names and columns of the Initial migration).</summary>
public static class BulkTables
{
    private static BulkColumn T(string n) => new(n, BulkType.Text);
    private static BulkColumn I(string n) => new(n, BulkType.Int);

    public static readonly BulkTable Sessions = new("sessions",
    [
        T("Id"), T("ClinicId"), T("PractitionerId"), T("PatientId"), T("CourseId"), T("Concern"), new("SessionDate", BulkType.Date),
        I("Month"), I("PatientBirthYear"), T("PatientSex"), I("FitzpatrickType"), T("Area"), T("Device"),
        new("NeedleDepthMm", BulkType.Double), I("Passes"), new("DowntimeDays", BulkType.Double), new("Price", BulkType.Decimal),
        T("Currency"), new("HasAdverseEvent", BulkType.Bool), T("ContentHash"), I("ImportBatchId"),
    ], 1);

    public static readonly BulkTable SessionAdjuncts = new("session_adjuncts", [T("SessionId"), T("Adjunct")], 2);

    public static readonly BulkTable SessionAdverseEvents = new("session_adverse_events", [T("SessionId"), T("Event")], 2);

    public static readonly BulkTable Assessments = new("assessments",
    [
        T("Id"), T("PatientId"), T("CourseId"), T("Instrument"), new("AssessedOn", BulkType.Date), I("Month"), T("Timepoint"),
        new("Score", BulkType.Double), T("AssessorId"), T("ContentHash"), I("ImportBatchId"),
    ], 1);

    public static readonly BulkTable SatisfactionResponses = new("satisfaction_responses",
    [
        T("Id"), T("PatientId"), T("CourseId"), T("SessionId"), new("RespondedOn", BulkType.Date), I("Month"), T("Instrument"),
        new("Score", BulkType.Double), T("ContentHash"), I("ImportBatchId"),
    ], 1);

    public static readonly BulkTable Courses = new("courses",
    [
        T("Id"), T("PatientId"), T("ClinicId"), T("Concern"), T("PractitionerId"), new("FirstSessionDate", BulkType.Date),
        new("LastSessionDate", BulkType.Date), I("SessionCount"), T("Protocol"), I("BirthYear"), T("Sex"), I("FitzpatrickType"),
    ], 1);

    public static readonly BulkTable Patients = new("patients", [T("Id"), I("BirthYear"), T("Sex"), I("FitzpatrickType")], 1);

    public static readonly BulkTable Clinics = new("clinics", [T("Id"), T("Name")], 1);

    public static readonly BulkTable Practitioners = new("practitioners", [T("Id"), T("ClinicId")], 1);

    public static readonly BulkTable RejectedRows = new("rejected_rows",
    [
        I("ImportBatchId"), T("File"), I("Line"), T("Column"), T("RecordId"), T("ReasonCode"), T("Reason"), T("RawRow"),
        I("Month"), T("ClinicId"),
    ], 0);

    public static readonly BulkTable ChangeLog = new("change_log",
        [I("ImportBatchId"), T("Table"), T("RecordId"), T("Description"), new("ChangedAt", BulkType.Timestamp)], 0);

    public static string Q(string identifier) => "\"" + identifier + "\"";

    public static string ColumnList(BulkTable t) => string.Join(", ", t.Columns.Select(c => Q(c.Name)));
}
