using Analytics.Domain;

namespace Analytics.Modelling;

/// <summary>
/// Fits the outcome models of every concern and severity instrument, records them in the registry,
/// and builds the model report (metrics, importances, observed/expected, what-if).
/// </summary>
/// <remarks>
/// A (concern, instrument) cell with at least <see cref="ModellingOptions.MinCoursesPerModel"/>
/// evaluable courses gets its own model. The courses of the smaller cells are pooled into one model
/// (<c>ALL</c>/<c>ALL</c>) that takes concern and instrument as one-hot features: improvement % is
/// unit-free, so pooling across instruments is meaningful, and training it only on the small cells
/// keeps the cost down. Pooled courses below the same minimum are not modelled (and a note says so).
/// </remarks>
public static class OutcomeModelTrainer
{
    /// <summary>Courses a model learns from: evaluable, severity instrument, finite improvement %.</summary>
    public static bool IsTrainable(CourseOutcome c) =>
        c.Evaluable && c.Kind == InstrumentKind.Severity && c.ImprovementPct is { } v && double.IsFinite(v);

    public static async Task<OutcomeModelRun> FitAllAsync(
        IReadOnlyList<CourseOutcome> courses, ModellingOptions options, string modelDir, IModelRegistryStore registry,
        IProgress<string>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        var fittedAt = options.FittedAt ?? DateTimeOffset.UtcNow;
        var notes = new List<string>();
        var trainable = courses.Where(IsTrainable).OrderBy(c => c.CourseId, StringComparer.Ordinal).ThenBy(c => c.Instrument, StringComparer.Ordinal).ToList();
        var cells = trainable.GroupBy(c => (c.Concern, c.Instrument))
            .OrderBy(g => g.Key.Concern, StringComparer.Ordinal).ThenBy(g => g.Key.Instrument, StringComparer.Ordinal)
            .Select(g => (g.Key.Concern, g.Key.Instrument, Courses: (IReadOnlyList<CourseOutcome>)[.. g])).ToList();

        var units = cells.Where(c => c.Courses.Count >= options.MinCoursesPerModel)
            .Select(c => (c.Concern, c.Instrument, c.Courses, Pooled: false)).ToList();
        var small = cells.Where(c => c.Courses.Count < options.MinCoursesPerModel).ToList();
        var pooledCourses = small.SelectMany(c => c.Courses).ToList();
        if (small.Count > 0)
        {
            var names = string.Join(", ", small.Select(c => $"{c.Concern}/{c.Instrument} ({c.Courses.Count})"));
            if (pooledCourses.Count >= options.MinCoursesPerModel)
            {
                units.Add((Codes.All, Codes.All, pooledCourses, true));
                notes.Add($"Cells below {options.MinCoursesPerModel} courses share the pooled model ALL/ALL: {names}.");
            }
            else
            {
                notes.Add($"Not modelled (cells below {options.MinCoursesPerModel} courses, {pooledCourses.Count} pooled, too few for a pooled model): {names}.");
            }
        }

        var fitted = new List<(OutcomeModelCell Cell, ModelFit Fit, LoadedOutcomeModel? ReportModel)>();
        foreach (var (index, unit) in units.Index())
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report($"Model {index + 1}/{units.Count}: {unit.Concern}/{unit.Instrument}, {unit.Courses.Count} courses");
            var cell = await Task.Run(() => OutcomeModelFitter.Fit(unit.Concern, unit.Instrument, unit.Courses, unit.Pooled, options, ct), ct);
            var path = OutcomeModelFile.Save(cell, modelDir, fittedAt);
            var current = await registry.GetLatestPromotedAsync(cell.Concern, cell.Instrument, ct);
            // Registry metrics are those of the chosen trainer on all courses (same as the comparison unless subsampled).
            var chosen = cell.ChosenOnAllCourses;
            var (promote, note) = ModelPromotion.Decide(cell.BeatsBaseline, chosen.Rmse, cell.BaselineOnAllCourses.Rmse, current, options.PromotionRmseTolerance);
            if (cell.Subsampled)
                note += $" Candidates compared on {cell.ComparedCourses} of {cell.Courses.Count} courses (seeded patient-grouped subsample); {chosen.Trainer} cross-validated on all {cell.Courses.Count}.";
            if (cell.Skipped.Count > 0) note += " Skipped: " + string.Join("; ", cell.Skipped.Select(s => $"{s.Trainer} ({s.Reason})")) + ".";
            var months = cell.Courses.Select(c => c.Month).OfType<int>().ToList();
            var fit = await registry.SaveAsync(new ModelFit
            {
                FittedAt = fittedAt,
                Concern = cell.Concern,
                Instrument = cell.Instrument,
                Trainer = chosen.Trainer,
                HyperParameters = chosen.HyperParameters,
                DataFromMonth = months.Count > 0 ? months.Min() : 0,
                DataToMonth = months.Count > 0 ? months.Max() : 0,
                Rows = cell.Courses.Count,
                Folds = cell.Folds,
                R2 = chosen.R2,
                Rmse = chosen.Rmse,
                Mae = chosen.Mae,
                BaselineRmse = cell.BaselineOnAllCourses.Rmse,
                BeatsBaseline = cell.BeatsBaseline,
                Promoted = promote,
                Note = note,
                DetailsJson = new ModelFitDetails(cell.Candidates, cell.Baseline, cell.Skipped, cell.Importances, cell.MissingCounts, cell.Featurizer,
                    cell.ComparedCourses, cell.ChosenOnAllCourses, cell.BaselineOnAllCourses).ToJson(),
                ModelPath = path,
                SchemaHash = cell.SchemaHash,
            }, ct);
            progress?.Report($"  {cell.Concern}/{cell.Instrument}: {chosen.Trainer} CV RMSE {chosen.Rmse:0.##} vs baseline {cell.BaselineOnAllCourses.Rmse:0.##}. {note}");

            LoadedOutcomeModel? reportModel = null;
            if (promote)
            {
                reportModel = OutcomeModelFile.Load(fit, cell.Featurizer, options.Seed);
            }
            else if (current is not null)
            {
                try { reportModel = OutcomeModelFile.Load(current, seed: options.Seed); }
                catch (Exception e) when (e is ModelSchemaMismatchException or IOException or InvalidDataException)
                {
                    notes.Add($"Promoted fit #{current.Id} of {cell.Concern}/{cell.Instrument} cannot be used: {e.Message}");
                }
            }
            fitted.Add((cell, fit, reportModel));
        }

        var report = BuildReport(cells, fitted, options, notes);
        var run = new OutcomeModelRun(report.Report, [.. fitted.Select(f => f.Fit)], [.. fitted.Select(f => f.Cell)], notes, report.WhatIf);
        var profiles = options.WhatIfProfiles.Count > 0 ? options.WhatIfProfiles : TypicalProfiles(cells);
        return run with { Report = report.Report with { WhatIf = [.. profiles.SelectMany(run.WhatIf)] } };
    }

    private static (ModelReport Report, WhatIfEngine WhatIf) BuildReport(
        List<(string Concern, string Instrument, IReadOnlyList<CourseOutcome> Courses)> cells,
        List<(OutcomeModelCell Cell, ModelFit Fit, LoadedOutcomeModel? ReportModel)> fitted,
        ModellingOptions options, List<string> notes)
    {
        var metrics = new List<ModelMetricsRow>();
        foreach (var (cell, fit, _) in fitted)
        {
            // N is the number of courses the row's CV ran on. A subsampled cell has its comparison rows
            // (N = subsample) and then the chosen trainer and the baseline on all courses; the promoted
            // flag sits on the row whose metrics the registry holds.
            foreach (var c in cell.Candidates.Append(cell.Baseline))
            {
                metrics.Add(new ModelMetricsRow(cell.Concern, cell.Instrument, c.Trainer, cell.Folds, cell.ComparedCourses,
                    c.R2, c.Rmse, c.Mae, cell.Baseline.Rmse, !cell.Subsampled && fit.Promoted && c.Trainer == cell.ChosenTrainer));
            }
            if (cell.Subsampled)
            {
                foreach (var c in new[] { cell.ChosenOnAllCourses, cell.BaselineOnAllCourses })
                {
                    metrics.Add(new ModelMetricsRow(cell.Concern, cell.Instrument, c.Trainer, cell.Folds, cell.Courses.Count,
                        c.R2, c.Rmse, c.Mae, cell.BaselineOnAllCourses.Rmse, fit.Promoted && c.Trainer == cell.ChosenTrainer));
                }
            }
        }

        var oe = new List<ObservedExpectedRow>();
        var models = new Dictionary<(string, string), (OutcomeModelCell Cell, LoadedOutcomeModel? ReportModel)>();
        foreach (var (concern, instrument, courses) in cells)
        {
            var unit = fitted.FirstOrDefault(f => f.Cell.Concern == concern && f.Cell.Instrument == instrument);
            if (unit.Cell is null) unit = fitted.FirstOrDefault(f => f.Cell.Pooled);
            if (unit.Cell is null) continue;
            models[(concern, instrument)] = (unit.Cell, unit.ReportModel);
            if (!unit.Cell.BeatsBaseline)
            {
                notes.Add($"{concern}/{instrument}: no observed/expected, its model ({unit.Cell.Concern}/{unit.Cell.Instrument}) does not beat the baseline.");
                continue;
            }
            // Out-of-fold predictions of this cell's courses, matched by position in the unit.
            var position = new Dictionary<CourseOutcome, int>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < unit.Cell.Courses.Count; i++) position[unit.Cell.Courses[i]] = i;
            var expected = courses.Select(c => unit.Cell.OutOfFoldPredictions[position[c]]).ToList();
            oe.AddRange(ObservedExpected.Compute(concern, instrument, courses, expected, options.MinVolumeForObservedExpected));
        }

        var importances = fitted.SelectMany(f => f.Cell.Importances).ToList();
        var whatIf = new WhatIfEngine(models, cells.ToDictionary(c => (c.Concern, c.Instrument), c => c.Courses), options.MinCoursesPerProtocolForWhatIf);
        return (new ModelReport(metrics, importances, oe, []), whatIf);
    }

    private static IEnumerable<WhatIfProfile> TypicalProfiles(
        List<(string Concern, string Instrument, IReadOnlyList<CourseOutcome> Courses)> cells)
    {
        foreach (var (concern, instrument, courses) in cells)
        {
            var f = CourseFeaturizer.Fit(courses, pooled: false);
            var sessions = courses.Select(c => c.Sessions).Order().ElementAt(courses.Count / 2);
            yield return new WhatIfProfile("typical", concern, instrument, f.BaselineFill, f.ModalFitzpatrick, (int)Math.Round(f.AgeFill), sessions);
        }
    }
}

/// <summary>The result of <see cref="OutcomeModelTrainer.FitAllAsync"/>.</summary>
public sealed record OutcomeModelRun(
    ModelReport Report,
    IReadOnlyList<ModelFit> Fits,
    IReadOnlyList<OutcomeModelCell> Cells,
    IReadOnlyList<string> Notes,
    WhatIfEngine WhatIfEngine)
{
    /// <summary>Expected improvement % of a profile under each protocol with enough training courses.</summary>
    public IReadOnlyList<WhatIfRow> WhatIf(WhatIfProfile profile) => WhatIfEngine.Predict(profile);
}

/// <summary>What-if predictions with the model reports use for each cell (the promoted one).</summary>
public sealed class WhatIfEngine
{
    private readonly Dictionary<(string, string), (OutcomeModelCell Cell, LoadedOutcomeModel? ReportModel)> _models;
    private readonly Dictionary<(string, string), IReadOnlyList<CourseOutcome>> _courses;
    private readonly int _minCoursesPerProtocol;

    internal WhatIfEngine(
        Dictionary<(string, string), (OutcomeModelCell Cell, LoadedOutcomeModel? ReportModel)> models,
        Dictionary<(string, string), IReadOnlyList<CourseOutcome>> courses, int minCoursesPerProtocol)
    {
        _models = models;
        _courses = courses;
        _minCoursesPerProtocol = minCoursesPerProtocol;
    }

    /// <summary>Rows for each protocol with at least the minimum training courses; none when the cell has no usable model.</summary>
    public IReadOnlyList<WhatIfRow> Predict(WhatIfProfile profile)
    {
        var key = (profile.Concern, profile.Instrument);
        if (!_models.TryGetValue(key, out var m) || m.ReportModel is null || !_courses.TryGetValue(key, out var courses)) return [];
        return [.. courses.GroupBy(c => c.Protocol, StringComparer.Ordinal)
            .Where(g => g.Count() >= _minCoursesPerProtocol)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new WhatIfRow(profile.Concern, profile.Instrument, profile.Name, g.Key, profile.Baseline,
                profile.FitzpatrickType, profile.Age, profile.Sessions, m.ReportModel.Predict(profile, g.Key), g.Count()))];
    }
}
