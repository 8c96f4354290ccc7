using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Analytics.Data.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "assessments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    CourseId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Instrument = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    AssessedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Month = table.Column<int>(type: "int", nullable: false),
                    Timepoint = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Score = table.Column<double>(type: "float", nullable: false),
                    AssessorId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ContentHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ImportBatchId = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "change_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ImportBatchId = table.Column<int>(type: "int", nullable: false),
                    Table = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    RecordId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_change_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "clinics",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_clinics", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "courses",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ClinicId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Concern = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    PractitionerId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    FirstSessionDate = table.Column<DateOnly>(type: "date", nullable: false),
                    LastSessionDate = table.Column<DateOnly>(type: "date", nullable: false),
                    SessionCount = table.Column<int>(type: "int", nullable: false),
                    Protocol = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    BirthYear = table.Column<int>(type: "int", nullable: true),
                    Sex = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    FitzpatrickType = table.Column<int>(type: "int", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_courses", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "import_batches",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Source = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    AsOf = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    RowsRead = table.Column<int>(type: "int", nullable: false),
                    RowsApplied = table.Column<int>(type: "int", nullable: false),
                    RowsUnchanged = table.Column<int>(type: "int", nullable: false),
                    RowsUpdated = table.Column<int>(type: "int", nullable: false),
                    RowsRejected = table.Column<int>(type: "int", nullable: false),
                    Notes = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_batches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "instruments",
                columns: table => new
                {
                    Code = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Min = table.Column<double>(type: "float", nullable: false),
                    Max = table.Column<double>(type: "float", nullable: false),
                    HigherIsBetter = table.Column<bool>(type: "bit", nullable: false),
                    ResponderRule = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    ResponderThreshold = table.Column<double>(type: "float", nullable: false),
                    ThresholdIsDefault = table.Column<bool>(type: "bit", nullable: false),
                    Basis = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_instruments", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "model_fits",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    FittedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Concern = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Instrument = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Trainer = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    HyperParameters = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    DataFromMonth = table.Column<int>(type: "int", nullable: false),
                    DataToMonth = table.Column<int>(type: "int", nullable: false),
                    Rows = table.Column<int>(type: "int", nullable: false),
                    Folds = table.Column<int>(type: "int", nullable: false),
                    R2 = table.Column<double>(type: "float", nullable: false),
                    Rmse = table.Column<double>(type: "float", nullable: false),
                    Mae = table.Column<double>(type: "float", nullable: false),
                    BaselineRmse = table.Column<double>(type: "float", nullable: false),
                    BeatsBaseline = table.Column<bool>(type: "bit", nullable: false),
                    Promoted = table.Column<bool>(type: "bit", nullable: false),
                    Note = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    DetailsJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ModelPath = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    SchemaHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_fits", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "patients",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    BirthYear = table.Column<int>(type: "int", nullable: true),
                    Sex = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    FitzpatrickType = table.Column<int>(type: "int", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_patients", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "pipeline_runs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Status = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Month = table.Column<int>(type: "int", nullable: true),
                    Trigger = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Produced = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Error = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pipeline_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "practitioners",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ClinicId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_practitioners", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rejected_rows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ImportBatchId = table.Column<int>(type: "int", nullable: false),
                    File = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    Line = table.Column<int>(type: "int", nullable: false),
                    Column = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    RecordId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ReasonCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    RawRow = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Month = table.Column<int>(type: "int", nullable: true),
                    ClinicId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rejected_rows", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_artifacts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Kind = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Month = table.Column<int>(type: "int", nullable: true),
                    ClinicId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    RelativePath = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    PipelineRunId = table.Column<int>(type: "int", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_artifacts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "satisfaction_responses",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    CourseId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    SessionId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    RespondedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Month = table.Column<int>(type: "int", nullable: false),
                    Instrument = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Score = table.Column<double>(type: "float", nullable: false),
                    ContentHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ImportBatchId = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_satisfaction_responses", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "sessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ClinicId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    PractitionerId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    PatientId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    CourseId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Concern = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    SessionDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Month = table.Column<int>(type: "int", nullable: false),
                    PatientBirthYear = table.Column<int>(type: "int", nullable: true),
                    PatientSex = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    FitzpatrickType = table.Column<int>(type: "int", nullable: true),
                    Area = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Device = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    NeedleDepthMm = table.Column<double>(type: "float", nullable: true),
                    Passes = table.Column<int>(type: "int", nullable: true),
                    DowntimeDays = table.Column<double>(type: "float", nullable: true),
                    Price = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: true),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: true),
                    HasAdverseEvent = table.Column<bool>(type: "bit", nullable: false),
                    ContentHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ImportBatchId = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "work_leases",
                columns: table => new
                {
                    Key = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Owner = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_work_leases", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "instrument_concerns",
                columns: table => new
                {
                    InstrumentCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Concern = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_instrument_concerns", x => new { x.InstrumentCode, x.Concern });
                    table.ForeignKey(
                        name: "FK_instrument_concerns_instruments_InstrumentCode",
                        column: x => x.InstrumentCode,
                        principalTable: "instruments",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "session_adjuncts",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Adjunct = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_session_adjuncts", x => new { x.SessionId, x.Adjunct });
                    table.ForeignKey(
                        name: "FK_session_adjuncts_sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "session_adverse_events",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Event = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_session_adverse_events", x => new { x.SessionId, x.Event });
                    table.ForeignKey(
                        name: "FK_session_adverse_events_sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "instruments",
                columns: new[] { "Code", "Basis", "HigherIsBetter", "Kind", "Max", "Min", "Name", "ResponderRule", "ResponderThreshold", "ThresholdIsDefault" },
                values: new object[,]
                {
                    { "gais_investigator", "much or very much improved", false, "Global", 5.0, 1.0, "Global Aesthetic Improvement Scale (investigator)", "ScoreAtMost", 2.0, false },
                    { "global_photo_7", "Dhurat 2013 responder band", true, "Global", 3.0, -3.0, "7-point global photographic assessment", "ScoreAtLeast", 2.0, false },
                    { "goodman_baron_qual", "Goodman & Baron 2006", false, "Severity", 4.0, 1.0, "Goodman & Baron qualitative acne scar grade", "ChangeAtLeast", 1.0, false },
                    { "goodman_baron_quant", "responder cut-off used in meta-analyses", false, "Severity", 84.0, 0.0, "Goodman & Baron quantitative acne scar score", "ImprovementPercentAtLeast", 50.0, false },
                    { "hair_density", "default (no published MCID)", true, "Severity", 500.0, 0.0, "Hair density (hairs/cm²)", "ImprovementPercentAtLeast", 20.0, true },
                    { "masi", "responder cut-off used in melasma trials", false, "Severity", 48.0, 0.0, "Melasma Area and Severity Index", "ImprovementPercentAtLeast", 50.0, false },
                    { "mmasi", "responder cut-off used in melasma trials", false, "Severity", 24.0, 0.0, "modified Melasma Area and Severity Index", "ImprovementPercentAtLeast", 50.0, false },
                    { "pore_iga", "default (no published MCID)", false, "Severity", 4.0, 0.0, "Pore investigator global assessment", "ChangeAtLeast", 1.0, true },
                    { "posas_observer", "default (no published MCID)", false, "Severity", 60.0, 6.0, "POSAS observer scale", "ImprovementPercentAtLeast", 30.0, true },
                    { "vss", "default (no published MCID)", false, "Severity", 13.0, 0.0, "Vancouver Scar Scale", "ChangeAtLeast", 2.0, true },
                    { "wsrs", "usual rule in wrinkle trials", false, "Severity", 5.0, 1.0, "Wrinkle Severity Rating Scale", "ChangeAtLeast", 1.0, false }
                });

            migrationBuilder.InsertData(
                table: "instrument_concerns",
                columns: new[] { "Concern", "InstrumentCode" },
                values: new object[,]
                {
                    { "acne_scars", "gais_investigator" },
                    { "hair_loss", "gais_investigator" },
                    { "hyperpigmentation", "gais_investigator" },
                    { "melasma", "gais_investigator" },
                    { "rejuvenation", "gais_investigator" },
                    { "stretch_marks", "gais_investigator" },
                    { "surgical_scars", "gais_investigator" },
                    { "texture_pores", "gais_investigator" },
                    { "wrinkles", "gais_investigator" },
                    { "acne_scars", "global_photo_7" },
                    { "hair_loss", "global_photo_7" },
                    { "hyperpigmentation", "global_photo_7" },
                    { "melasma", "global_photo_7" },
                    { "rejuvenation", "global_photo_7" },
                    { "stretch_marks", "global_photo_7" },
                    { "surgical_scars", "global_photo_7" },
                    { "texture_pores", "global_photo_7" },
                    { "wrinkles", "global_photo_7" },
                    { "acne_scars", "goodman_baron_qual" },
                    { "acne_scars", "goodman_baron_quant" },
                    { "hair_loss", "hair_density" },
                    { "hyperpigmentation", "masi" },
                    { "melasma", "masi" },
                    { "hyperpigmentation", "mmasi" },
                    { "melasma", "mmasi" },
                    { "texture_pores", "pore_iga" },
                    { "stretch_marks", "posas_observer" },
                    { "surgical_scars", "posas_observer" },
                    { "surgical_scars", "vss" },
                    { "rejuvenation", "wsrs" },
                    { "wrinkles", "wsrs" }
                });

            migrationBuilder.CreateIndex(
                name: "IX_assessments_CourseId_Instrument_Timepoint",
                table: "assessments",
                columns: new[] { "CourseId", "Instrument", "Timepoint" });

            migrationBuilder.CreateIndex(
                name: "IX_assessments_Month",
                table: "assessments",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_change_log_ImportBatchId",
                table: "change_log",
                column: "ImportBatchId");

            migrationBuilder.CreateIndex(
                name: "IX_courses_ClinicId_Concern",
                table: "courses",
                columns: new[] { "ClinicId", "Concern" });

            migrationBuilder.CreateIndex(
                name: "IX_courses_PatientId",
                table: "courses",
                column: "PatientId");

            migrationBuilder.CreateIndex(
                name: "IX_model_fits_Concern_Instrument_Promoted",
                table: "model_fits",
                columns: new[] { "Concern", "Instrument", "Promoted" });

            migrationBuilder.CreateIndex(
                name: "IX_rejected_rows_ImportBatchId",
                table: "rejected_rows",
                column: "ImportBatchId");

            migrationBuilder.CreateIndex(
                name: "IX_rejected_rows_Month_ClinicId",
                table: "rejected_rows",
                columns: new[] { "Month", "ClinicId" });

            migrationBuilder.CreateIndex(
                name: "IX_report_artifacts_Month_ClinicId",
                table: "report_artifacts",
                columns: new[] { "Month", "ClinicId" });

            migrationBuilder.CreateIndex(
                name: "IX_report_artifacts_RelativePath",
                table: "report_artifacts",
                column: "RelativePath",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_satisfaction_responses_Month_Instrument",
                table: "satisfaction_responses",
                columns: new[] { "Month", "Instrument" });

            migrationBuilder.CreateIndex(
                name: "IX_satisfaction_responses_PatientId",
                table: "satisfaction_responses",
                column: "PatientId");

            migrationBuilder.CreateIndex(
                name: "IX_sessions_ClinicId_Month",
                table: "sessions",
                columns: new[] { "ClinicId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_sessions_CourseId_SessionDate",
                table: "sessions",
                columns: new[] { "CourseId", "SessionDate" });

            migrationBuilder.CreateIndex(
                name: "IX_sessions_PatientId_SessionDate",
                table: "sessions",
                columns: new[] { "PatientId", "SessionDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assessments");

            migrationBuilder.DropTable(
                name: "change_log");

            migrationBuilder.DropTable(
                name: "clinics");

            migrationBuilder.DropTable(
                name: "courses");

            migrationBuilder.DropTable(
                name: "import_batches");

            migrationBuilder.DropTable(
                name: "instrument_concerns");

            migrationBuilder.DropTable(
                name: "model_fits");

            migrationBuilder.DropTable(
                name: "patients");

            migrationBuilder.DropTable(
                name: "pipeline_runs");

            migrationBuilder.DropTable(
                name: "practitioners");

            migrationBuilder.DropTable(
                name: "rejected_rows");

            migrationBuilder.DropTable(
                name: "report_artifacts");

            migrationBuilder.DropTable(
                name: "satisfaction_responses");

            migrationBuilder.DropTable(
                name: "session_adjuncts");

            migrationBuilder.DropTable(
                name: "session_adverse_events");

            migrationBuilder.DropTable(
                name: "work_leases");

            migrationBuilder.DropTable(
                name: "instruments");

            migrationBuilder.DropTable(
                name: "sessions");
        }
    }
}
