using Analytics.Domain;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Data;

public sealed class AnalyticsDbContext(DbContextOptions<AnalyticsDbContext> options) : DbContext(options)
{
    public DbSet<Clinic> Clinics => Set<Clinic>();
    public DbSet<Practitioner> Practitioners => Set<Practitioner>();
    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<Course> Courses => Set<Course>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<SessionAdjunct> SessionAdjuncts => Set<SessionAdjunct>();
    public DbSet<SessionAdverseEvent> SessionAdverseEvents => Set<SessionAdverseEvent>();
    public DbSet<Assessment> Assessments => Set<Assessment>();
    public DbSet<SatisfactionResponse> SatisfactionResponses => Set<SatisfactionResponse>();
    public DbSet<InstrumentDefinition> Instruments => Set<InstrumentDefinition>();
    public DbSet<InstrumentConcern> InstrumentConcerns => Set<InstrumentConcern>();
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();
    public DbSet<RejectedRow> RejectedRows => Set<RejectedRow>();
    public DbSet<ChangeLogEntry> ChangeLog => Set<ChangeLogEntry>();
    public DbSet<PipelineRun> PipelineRuns => Set<PipelineRun>();
    public DbSet<ReportArtifact> ReportArtifacts => Set<ReportArtifact>();
    public DbSet<ModelFit> ModelFits => Set<ModelFit>();
    public DbSet<WorkLease> WorkLeases => Set<WorkLease>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        // Snake-case table names read the same on all three providers.
        b.Entity<Clinic>(e =>
        {
            e.ToTable("clinics");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(Lengths.Id);
            e.Property(x => x.Name).HasMaxLength(Lengths.Name);
        });
        b.Entity<Practitioner>(e =>
        {
            e.ToTable("practitioners");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(Lengths.Id);
            e.Property(x => x.ClinicId).HasMaxLength(Lengths.Id);
        });
        b.Entity<Patient>(e =>
        {
            e.ToTable("patients");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(Lengths.PatientId).IsFixedLength(false);
            e.Property(x => x.Sex).HasMaxLength(Lengths.Code);
        });
        b.Entity<Course>(e =>
        {
            e.ToTable("courses");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(Lengths.Id);
            e.Property(x => x.PatientId).HasMaxLength(Lengths.PatientId);
            e.Property(x => x.ClinicId).HasMaxLength(Lengths.Id);
            e.Property(x => x.PractitionerId).HasMaxLength(Lengths.Id);
            e.Property(x => x.Concern).HasMaxLength(Lengths.Code);
            e.Property(x => x.Protocol).HasMaxLength(Lengths.Protocol);
            e.Property(x => x.Sex).HasMaxLength(Lengths.Code);
            e.HasIndex(x => new { x.ClinicId, x.Concern });
            e.HasIndex(x => x.PatientId);
        });
        b.Entity<Session>(e =>
        {
            e.ToTable("sessions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(Lengths.Id);
            e.Property(x => x.ClinicId).HasMaxLength(Lengths.Id);
            e.Property(x => x.PractitionerId).HasMaxLength(Lengths.Id);
            e.Property(x => x.PatientId).HasMaxLength(Lengths.PatientId);
            e.Property(x => x.CourseId).HasMaxLength(Lengths.Id);
            e.Property(x => x.Concern).HasMaxLength(Lengths.Code);
            e.Property(x => x.PatientSex).HasMaxLength(Lengths.Code);
            e.Property(x => x.Area).HasMaxLength(Lengths.Code);
            e.Property(x => x.Device).HasMaxLength(Lengths.Code);
            e.Property(x => x.Currency).HasMaxLength(3).IsFixedLength(false);
            e.Property(x => x.Price).HasPrecision(18, 4);
            e.Property(x => x.ContentHash).HasMaxLength(Lengths.Hash);
            e.HasMany(x => x.Adjuncts).WithOne().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.AdverseEvents).WithOne().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
            // The report queries: by clinic and month, by course, by patient (new/returning, answer linking).
            e.HasIndex(x => new { x.ClinicId, x.Month });
            e.HasIndex(x => new { x.CourseId, x.SessionDate });
            e.HasIndex(x => new { x.PatientId, x.SessionDate });
        });
        b.Entity<SessionAdjunct>(e =>
        {
            e.ToTable("session_adjuncts");
            e.HasKey(x => new { x.SessionId, x.Adjunct });
            e.Property(x => x.SessionId).HasMaxLength(Lengths.Id);
            e.Property(x => x.Adjunct).HasMaxLength(Lengths.Code);
        });
        b.Entity<SessionAdverseEvent>(e =>
        {
            e.ToTable("session_adverse_events");
            e.HasKey(x => new { x.SessionId, x.Event });
            e.Property(x => x.SessionId).HasMaxLength(Lengths.Id);
            e.Property(x => x.Event).HasMaxLength(Lengths.Code);
        });
        b.Entity<Assessment>(e =>
        {
            e.ToTable("assessments");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(Lengths.Id);
            e.Property(x => x.PatientId).HasMaxLength(Lengths.PatientId);
            // No foreign key to courses: an assessment may arrive before its course.
            e.Property(x => x.CourseId).HasMaxLength(Lengths.Id);
            e.Property(x => x.Instrument).HasMaxLength(Lengths.Code);
            e.Property(x => x.Timepoint).HasMaxLength(Lengths.Code);
            e.Property(x => x.AssessorId).HasMaxLength(Lengths.Id);
            e.Property(x => x.ContentHash).HasMaxLength(Lengths.Hash);
            e.HasIndex(x => new { x.CourseId, x.Instrument, x.Timepoint });
            e.HasIndex(x => x.Month);
        });
        b.Entity<SatisfactionResponse>(e =>
        {
            e.ToTable("satisfaction_responses");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(Lengths.Id);
            e.Property(x => x.PatientId).HasMaxLength(Lengths.PatientId);
            e.Property(x => x.CourseId).HasMaxLength(Lengths.Id);
            e.Property(x => x.SessionId).HasMaxLength(Lengths.Id);
            e.Property(x => x.Instrument).HasMaxLength(Lengths.Code);
            e.Property(x => x.ContentHash).HasMaxLength(Lengths.Hash);
            e.HasIndex(x => new { x.Month, x.Instrument });
            e.HasIndex(x => x.PatientId);
        });
        b.Entity<InstrumentDefinition>(e =>
        {
            e.ToTable("instruments");
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(Lengths.Code);
            e.Property(x => x.Name).HasMaxLength(Lengths.Name);
            e.Property(x => x.Basis).HasMaxLength(Lengths.Name);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(Lengths.Code);
            e.Property(x => x.ResponderRule).HasConversion<string>().HasMaxLength(Lengths.Code);
            e.HasMany(x => x.Concerns).WithOne().HasForeignKey(x => x.InstrumentCode).OnDelete(DeleteBehavior.Cascade);
            e.HasData(InstrumentCatalog.Clinical.Select(i => new InstrumentDefinition
            {
                Code = i.Code, Name = i.Name, Kind = i.Kind, Min = i.Min, Max = i.Max,
                HigherIsBetter = i.HigherIsBetter, ResponderRule = i.Rule, ResponderThreshold = i.Threshold,
                ThresholdIsDefault = i.ThresholdIsDefault, Basis = i.Basis,
            }));
        });
        b.Entity<InstrumentConcern>(e =>
        {
            e.ToTable("instrument_concerns");
            e.HasKey(x => new { x.InstrumentCode, x.Concern });
            e.Property(x => x.InstrumentCode).HasMaxLength(Lengths.Code);
            e.Property(x => x.Concern).HasMaxLength(Lengths.Code);
            e.HasData(InstrumentCatalog.Clinical.SelectMany(i =>
                i.Concerns.Select(c => new InstrumentConcern { InstrumentCode = i.Code, Concern = c })));
        });
        b.Entity<ImportBatch>(e =>
        {
            e.ToTable("import_batches");
            e.HasKey(x => x.Id);
            e.Property(x => x.Source).HasMaxLength(Lengths.Path);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(Lengths.Code);
        });
        b.Entity<RejectedRow>(e =>
        {
            e.ToTable("rejected_rows");
            e.HasKey(x => x.Id);
            e.Property(x => x.File).HasMaxLength(Lengths.Path);
            e.Property(x => x.Column).HasMaxLength(Lengths.Name);
            e.Property(x => x.RecordId).HasMaxLength(Lengths.Id);
            e.Property(x => x.ReasonCode).HasMaxLength(Lengths.Code);
            e.Property(x => x.ClinicId).HasMaxLength(Lengths.Id);
            e.HasIndex(x => x.ImportBatchId);
            e.HasIndex(x => new { x.Month, x.ClinicId });
        });
        b.Entity<ChangeLogEntry>(e =>
        {
            e.ToTable("change_log");
            e.HasKey(x => x.Id);
            e.Property(x => x.Table).HasMaxLength(Lengths.Code);
            e.Property(x => x.RecordId).HasMaxLength(Lengths.Id);
            e.HasIndex(x => x.ImportBatchId);
        });
        b.Entity<PipelineRun>(e =>
        {
            e.ToTable("pipeline_runs");
            e.HasKey(x => x.Id);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(Lengths.Code);
            e.Property(x => x.Trigger).HasMaxLength(Lengths.Name);
        });
        b.Entity<ReportArtifact>(e =>
        {
            e.ToTable("report_artifacts");
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasMaxLength(Lengths.Code);
            e.Property(x => x.ClinicId).HasMaxLength(Lengths.Id);
            e.Property(x => x.RelativePath).HasMaxLength(Lengths.Path);
            e.Property(x => x.Sha256).HasMaxLength(Lengths.Hash);
            e.HasIndex(x => x.RelativePath).IsUnique();
            e.HasIndex(x => new { x.Month, x.ClinicId });
        });
        b.Entity<ModelFit>(e =>
        {
            e.ToTable("model_fits");
            e.HasKey(x => x.Id);
            e.Property(x => x.Concern).HasMaxLength(Lengths.Code);
            e.Property(x => x.Instrument).HasMaxLength(Lengths.Code);
            e.Property(x => x.Trainer).HasMaxLength(Lengths.Code);
            e.Property(x => x.ModelPath).HasMaxLength(Lengths.Path);
            e.Property(x => x.SchemaHash).HasMaxLength(Lengths.Hash);
            e.HasIndex(x => new { x.Concern, x.Instrument, x.Promoted });
        });
        b.Entity<WorkLease>(e =>
        {
            e.ToTable("work_leases");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(Lengths.Name);
            e.Property(x => x.Owner).HasMaxLength(Lengths.Name);
        });
    }

    private static class Lengths
    {
        public const int Id = 100;
        public const int PatientId = 64;
        public const int Code = 40;
        public const int Name = 200;
        public const int Protocol = 300;
        public const int Hash = 64;
        public const int Path = 500;
    }
}
