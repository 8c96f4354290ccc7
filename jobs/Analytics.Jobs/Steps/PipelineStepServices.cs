using System.Reflection;
using Analytics.Data;
using Analytics.Domain;
using Analytics.Ingest;
using Analytics.Modelling;
using Analytics.Outcomes;
using Analytics.Reports;
using Analytics.Reports.Exports;
using Analytics.Reports.Workbooks;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Steps;

/// <summary>Pull: import whatever the drop folder holds.</summary>
public sealed class DropFolderPullStep(DropFolderPuller puller) : IPullStep
{
    public async Task<StepResult> PullAsync(IStepProgress progress, CancellationToken ct)
    {
        var summaries = await puller.PullAsync(ct, new Progress<ImportProgress>(p => progress.Report($"{p.File}: {p.Phase} {p.Rows:N0} rows")));
        if (summaries.Count == 0) return StepResult.Of("no new files");
        var text = string.Join("; ", summaries.Select(s =>
            $"{s.Source}: {s.RowsRead:N0} read, {s.Applied:N0} applied, {s.Updated:N0} updated, {s.Unchanged:N0} unchanged, {s.Rejected:N0} rejected"));
        return StepResult.Of(text);
    }
}

/// <summary>Compute: the outcome tables, cached for the report step and written as CSV/JSON exports.</summary>
public sealed class OutcomeComputeStep(ReportInputs inputs, IOptions<ReportsOptions> reports) : IComputeStep
{
    public async Task<StepResult> ComputeAsync(IStepProgress progress, CancellationToken ct)
    {
        progress.Report("computing course outcomes and the six tables", 0.1);
        var tables = await inputs.ComputeAndCacheTablesAsync(ct);
        progress.Report("writing exports", 0.8);
        // Exports are served by /api/exports, not listed as library artifacts: no files in the result.
        var exports = Path.Combine(reports.Value.FullOutputFolder, ReportBundle.ExportsFolder);
        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Json })
        {
            await TableExportWriter.WriteAllAsync(tables, exports, format, ct);
        }
        return new StepResult(
            $"{tables.Outcomes.Count:N0} outcome rows, {tables.ProtocolComparison.Count:N0} protocol comparisons, data {tables.Settings.DataFrom:yyyy-MM-dd}..{tables.Settings.DataTo:yyyy-MM-dd}",
            []);
    }
}

/// <summary>Refit: the ML.NET models of every concern, recorded in the registry.</summary>
public sealed class ModelRefitStep(
    OutcomeService outcomes,
    IModelRegistryStore registry,
    ReportInputs inputs,
    ModellingSettings settings) : IRefitStep
{
    public async Task<StepResult> RefitAsync(IStepProgress progress, CancellationToken ct)
    {
        progress.Report("loading evaluable courses", 0.05);
        var courses = await outcomes.GetCourseOutcomesAsync(ct: ct);
        var run = await OutcomeModelTrainer.FitAllAsync(courses, settings.Options, settings.FullModelFolder, registry,
            new Progress<string>(m => progress.Report(m)), ct);
        await inputs.CacheModelsAsync(run.Report, ct);
        var exports = Path.Combine(inputs.OutputFolder, ReportBundle.ExportsFolder);
        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Json })
        {
            await TableExportWriter.WriteModelsAsync(run.Report, exports, format, ct);
        }
        var promoted = run.Fits.Count(f => f.Promoted);
        return StepResult.Of($"{run.Fits.Count} model fits, {promoted} promoted" + (run.Notes.Count > 0 ? "; " + string.Join("; ", run.Notes) : ""));
    }
}

/// <summary>Reports: the monthly workbooks (every clinic and the network) and the protocol workbook.</summary>
public sealed class WorkbookReportStep(ReportInputs inputs, IOptions<ReportsOptions> reports) : IReportStep
{
    public async Task<StepResult> MonthlyWorkbooksAsync(int month, IStepProgress progress, CancellationToken ct)
    {
        var (tables, models, context) = await inputs.LoadAsync(ct);
        var root = reports.Value.FullOutputFolder;
        progress.Report($"writing workbooks for {Codes.MonthText(month)}", 0.3);
        var index = new ReportIndex(tables);
        var files = new List<string>(new MonthlyClinicReport(index, models, context).WriteMonth(root, month));
        ct.ThrowIfCancellationRequested();
        files.Add(new NetworkReport(index, context).Write(root, month));
        // The report library groups workbooks by clinic; network-wide files carry no clinic.
        var clinicOf = index.Clinics.Append(Codes.All)
            .Select(c => (Path: Path.GetFullPath(ReportPaths.Monthly(root, month, c)), Clinic: c))
            .Where(x => files.Contains(x.Path))
            .ToDictionary(x => x.Path, x => x.Clinic);
        return new StepResult($"{files.Count} workbooks for {Codes.MonthText(month)}", files) { ClinicOf = clinicOf };
    }

    public async Task<StepResult> ProtocolWorkbookAsync(IStepProgress progress, CancellationToken ct)
    {
        var (tables, models, context) = await inputs.LoadAsync(ct);
        progress.Report("writing the protocol comparison workbook", 0.5);
        var file = new ProtocolComparisonReport(tables, models, context).Write(reports.Value.FullOutputFolder);
        return new StepResult("protocol comparison workbook", [file]);
    }
}

/// <summary>What the report steps read: the cached tables and models, and the context from the database.</summary>
public sealed class ReportInputs(
    IDbContextFactory<AnalyticsDbContext> contexts,
    OutcomeService outcomes,
    IOptions<ReportsOptions> reports,
    TimeProvider clock)
{
    public static string SoftwareVersion { get; } =
        typeof(ReportInputs).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public string OutputFolder => reports.Value.FullOutputFolder;

    private string CacheFolder => Path.Combine(reports.Value.FullOutputFolder, "cache");

    /// <summary>Computes the tables and caches them with the import state they were computed from.</summary>
    public async Task<ReportTables> ComputeAndCacheTablesAsync(CancellationToken ct)
    {
        var stamp = await ImportStampAsync(ct);
        var tables = await outcomes.ComputeAsync(ct: ct);
        await ReportCache.WriteAsync(Path.Combine(CacheFolder, "tables.json"), new CachedTables(stamp, tables), ct);
        return tables;
    }

    public Task CacheModelsAsync(ModelReport models, CancellationToken ct) =>
        ReportCache.WriteAsync(Path.Combine(CacheFolder, "models.json"), models, ct);

    /// <summary>The cached tables when nothing was imported since; else computed afresh.</summary>
    public async Task<(ReportTables Tables, ModelReport? Models, ReportContext Context)> LoadAsync(CancellationToken ct)
    {
        var stamp = await ImportStampAsync(ct);
        var cached = await ReportCache.ReadAsync<CachedTables>(Path.Combine(CacheFolder, "tables.json"), ct);
        var tables = cached is not null && cached.ImportStamp == stamp ? cached.Tables : await ComputeAndCacheTablesAsync(ct);
        var models = await ReportCache.ReadAsync<ModelReport>(Path.Combine(CacheFolder, "models.json"), ct);
        return (tables, models, await ContextAsync(ct));
    }

    public async Task<ReportContext> ContextAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var names = await db.Clinics.AsNoTracking().Where(c => c.Name != null)
            .ToDictionaryAsync(c => c.Id, c => c.Name!, StringComparer.Ordinal, ct);
        // Each distinct rejected row once (the rule the data-quality notes use), so a re-import does not change the report.
        var rejects = (await OutcomeQueries.RejectedRows(db).ToListAsync(ct))
            .Where(r => r.Month is not null)
            .GroupBy(r => (Month: r.Month!.Value, Clinic: r.ClinicId ?? Codes.UnknownClinic, r.ReasonCode))
            .OrderBy(g => g.Key.Month).ThenBy(g => g.Key.Clinic, StringComparer.Ordinal).ThenBy(g => g.Key.ReasonCode, StringComparer.Ordinal)
            .Select(g => new RejectCount(g.Key.Month, g.Key.Clinic, g.Key.ReasonCode, g.Count()))
            .ToList();
        return new ReportContext(
            SoftwareVersion,
            clock.GetUtcNow(),
            names,
            rejects);
    }

    /// <summary>Identifies the imported data: the latest batch id and the row counts.</summary>
    private async Task<string> ImportStampAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var batch = await db.ImportBatches.MaxAsync(b => (int?)b.Id, ct) ?? 0;
        var sessions = await db.Sessions.CountAsync(ct);
        var assessments = await db.Assessments.CountAsync(ct);
        var answers = await db.SatisfactionResponses.CountAsync(ct);
        return $"{batch}:{sessions}:{assessments}:{answers}";
    }

    private sealed record CachedTables(string ImportStamp, ReportTables Tables);
}

/// <summary>The <c>Modelling</c> section: trainer settings and where model files are kept.</summary>
public sealed class ModellingSettings
{
    public const string Section = "Modelling";

    /// <summary>Folder of the saved ML.NET model files (default <c>models</c> in the working folder).</summary>
    public string ModelFolder { get; set; } = "models";

    public ModellingOptions Options { get; set; } = new();

    public string FullModelFolder => Path.GetFullPath(ModelFolder);
}
