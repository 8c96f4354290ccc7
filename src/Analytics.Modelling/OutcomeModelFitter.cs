using Analytics.Domain;
using Microsoft.ML;

namespace Analytics.Modelling;

/// <summary>
/// Fits one model: seeded k-fold cross-validation of every enabled trainer against a
/// predict-the-mean baseline (its mean taken on the training folds), choice by CV RMSE, a refit of
/// the winner on all rows, and grouped permutation feature importance. Above
/// <see cref="ModellingOptions.SelectionMaxRows"/> courses the comparison runs on a seeded subsample of
/// whole patients, and the winner alone is then cross-validated on all rows (its out-of-fold
/// predictions feed observed/expected; its all-row CV RMSE decides whether it beats the baseline).
/// </summary>
internal static class OutcomeModelFitter
{
    public static OutcomeModelCell Fit(
        string concern, string instrument, IReadOnlyList<CourseOutcome> courses, bool pooled,
        ModellingOptions o, CancellationToken ct)
    {
        var featurizer = CourseFeaturizer.Fit(courses, pooled);
        var width = featurizer.Slots.Count;
        var x = courses.Select(featurizer.Featurize).ToArray();
        var y = courses.Select(c => (double)(float)c.ImprovementPct!.Value).ToArray();
        var n = x.Length;
        var patients = courses.Select(c => c.PatientId).ToArray();
        var groups = patients.Distinct(StringComparer.Ordinal).Count() >= o.Folds ? patients : [.. courses.Select(c => c.CourseId)];

        // Candidates compete on a seeded, patient-grouped subsample of a large cell; the chosen
        // trainer alone is then cross-validated on every course for observed/expected.
        var sel = SelectionRows(groups, o.SelectionMaxRows, o.Seed);
        var subsampled = sel.Length < n;
        var xs = subsampled ? [.. sel.Select(i => x[i])] : x;
        var ys = subsampled ? [.. sel.Select(i => y[i])] : y;
        var selGroups = subsampled ? [.. sel.Select(i => groups[i])] : groups;
        var foldSel = AssignFolds(selGroups, o.Folds, o.Seed);

        var skipped = new List<SkippedTrainer>();
        var trainers = new List<OutcomeTrainers>();
        foreach (var t in TrainerFactory.Enabled(o.Trainers))
        {
            if (t == OutcomeTrainers.Gam && xs.Length > o.GamRowLimit)
                skipped.Add(new SkippedTrainer(TrainerFactory.Name(t), $"{xs.Length} rows > GAM row limit {o.GamRowLimit}"));
            else
                trainers.Add(t);
        }
        if (trainers.Count == 0)
        {
            // GAM was the only trainer enabled: run it anyway rather than fit nothing.
            skipped.Clear();
            trainers.Add(OutcomeTrainers.Gam);
        }

        var (oof, _) = CrossValidate(trainers, xs, ys, foldSel, width, o, refit: false, ct);
        var baseline = Score(TrainerFactory.BaselineName, ys, BaselineOutOfFold(ys, foldSel, o.Folds), null);
        var candidates = trainers.Select((t, ti) => Score(TrainerFactory.Name(t), ys, oof[ti], TrainerFactory.HyperParameters(t, o))).ToList();
        var best = Enumerable.Range(0, trainers.Count).MinBy(ti => candidates[ti].Rmse);

        double[] oofAll;
        CandidateScores chosenAll, baselineAll;
        ITransformer? final = null;
        if (subsampled)
        {
            // Folds and the final refit of the chosen trainer run side by side.
            var fold = AssignFolds(groups, o.Folds, o.Seed);
            var (all, refit) = CrossValidate([trainers[best]], x, y, fold, width, o, refit: true, ct);
            oofAll = all[0];
            final = refit;
            chosenAll = Score(candidates[best].Trainer, y, oofAll, candidates[best].HyperParameters);
            baselineAll = Score(TrainerFactory.BaselineName, y, BaselineOutOfFold(y, fold, o.Folds), null);
        }
        else
        {
            oofAll = oof[best];
            chosenAll = candidates[best];
            baselineAll = baseline;
        }
        var beats = chosenAll.Rmse < baselineAll.Rmse * (1 - o.MinRmseGainOverBaseline);

        var finalMl = new MLContext(o.Seed);
        var trainData = ModelData.Load(finalMl, x, [.. y.Select(v => (float)v)], width);
        final ??= TrainerFactory.Create(finalMl, trainers[best], o).Fit(trainData);
        var schemaHash = ModelSchema.Hash(trainData.Schema, featurizer.Slots);

        var importances = beats
            ? PermutationImportance(concern, instrument, candidates[best].Trainer, featurizer, final, x, y, o, ct)
            : [];

        return new OutcomeModelCell(
            concern, instrument, courses, featurizer, candidates, baseline, skipped, candidates[best].Trainer, beats,
            oofAll, final, schemaHash, importances, CourseFeaturizer.CountMissing(courses), o.Folds,
            xs.Length, chosenAll, baselineAll);
    }

    private static CandidateScores Score(string trainer, double[] y, double[] predicted, string? hyperParameters)
    {
        var s = RegressionScores.Of(y, predicted);
        return new CandidateScores(trainer, s.R2, s.Rmse, s.Mae, hyperParameters);
    }

    /// <summary>Predict-the-mean baseline: each fold gets the mean of the other folds' targets.</summary>
    private static double[] BaselineOutOfFold(double[] y, int[] fold, int folds)
    {
        var result = new double[y.Length];
        for (var f = 0; f < folds; f++)
        {
            var trainMean = Enumerable.Range(0, y.Length).Where(i => fold[i] != f).Average(i => y[i]);
            for (var i = 0; i < y.Length; i++) if (fold[i] == f) result[i] = trainMean;
        }
        return result;
    }

    /// <summary>
    /// Out-of-fold predictions of each trainer (and, with <paramref name="refit"/>, the first trainer
    /// fitted on all rows). Each (trainer, fold) job gets its own MLContext with the same seed, so
    /// results do not depend on how many run at once or in which order.
    /// </summary>
    private static (double[][] OutOfFold, ITransformer? Refit) CrossValidate(
        IReadOnlyList<OutcomeTrainers> trainers, float[][] x, double[] y, int[] fold, int width,
        ModellingOptions o, bool refit, CancellationToken ct)
    {
        var n = x.Length;
        var oof = trainers.Select(_ => new double[n]).ToArray();
        ITransformer? full = null;
        // Fold == o.Folds stands for the refit on all rows; it is queued first as the longest job.
        (OutcomeTrainers t, int ti, int f)[] folds = [.. trainers.SelectMany((t, ti) => Enumerable.Range(0, o.Folds).Select(f => (t, ti, f)))];
        (OutcomeTrainers t, int ti, int f)[] jobs = refit ? [(trainers[0], 0, o.Folds), .. folds] : folds;
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = o.MaxDegreeOfParallelism, CancellationToken = ct }, job =>
        {
            var ml = new MLContext(o.Seed);
            var trainIdx = Enumerable.Range(0, n).Where(i => fold[i] != job.f).ToArray();
            var model = TrainerFactory.Create(ml, job.t, o)
                .Fit(ModelData.Load(ml, [.. trainIdx.Select(i => x[i])], [.. trainIdx.Select(i => (float)y[i])], width));
            if (job.f == o.Folds) { full = model; return; }
            var testIdx = Enumerable.Range(0, n).Where(i => fold[i] == job.f).ToArray();
            var p = ModelData.Predict(ml, model, [.. testIdx.Select(i => x[i])], width);
            for (var k = 0; k < testIdx.Length; k++) oof[job.ti][testIdx[k]] = p[k];
        });
        ct.ThrowIfCancellationRequested();
        return (oof, full);
    }

    /// <summary>
    /// Rows of the candidate comparison: all rows up to <paramref name="maxRows"/>; above it, whole
    /// patients in a seeded shuffle until the limit is reached (a patient's courses stay together).
    /// </summary>
    internal static int[] SelectionRows(IReadOnlyList<string> groups, int maxRows, int seed)
    {
        if (groups.Count <= maxRows) return [.. Enumerable.Range(0, groups.Count)];
        var rowsOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Count; i++)
        {
            if (!rowsOf.TryGetValue(groups[i], out var list)) rowsOf[groups[i]] = list = [];
            list.Add(i);
        }
        var patients = rowsOf.Keys.Order(StringComparer.Ordinal).ToArray();
        new Random(seed ^ 0x5E1EC7).Shuffle(patients);
        var picked = new List<int>(maxRows);
        foreach (var p in patients)
        {
            if (picked.Count >= maxRows) break;
            picked.AddRange(rowsOf[p]);
        }
        picked.Sort();
        return [.. picked];
    }

    /// <summary>
    /// Fold of each row: patients (not courses) are shuffled with the seed and dealt round-robin, so
    /// a patient's courses never sit on both sides of a split and fold sizes stay close.
    /// </summary>
    internal static int[] AssignFolds(IReadOnlyList<string> patientIds, int folds, int seed)
    {
        var patients = patientIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(patients);
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < patients.Length; k++) foldOf[patients[k]] = k % folds;
        return [.. patientIds.Select(p => foldOf[p])];
    }

    /// <summary>
    /// Drop in R² when all slots of one feature (e.g. every Fitzpatrick one-hot slot with its missing
    /// indicator) are permuted together across rows; on a seeded subsample of the training rows.
    /// </summary>
    private static List<FeatureImportanceRow> PermutationImportance(
        string concern, string instrument, string trainer, CourseFeaturizer featurizer, ITransformer model,
        float[][] x, double[] y, ModellingOptions o, CancellationToken ct)
    {
        var width = featurizer.Slots.Count;
        var rows = Enumerable.Range(0, x.Length).ToArray();
        new Random(o.Seed ^ 0x5F1).Shuffle(rows);
        rows = [.. rows.Take(Math.Min(o.PermutationMaxRows, rows.Length)).Order()];
        var xs = rows.Select(i => x[i]).ToArray();
        var ys = rows.Select(i => y[i]).ToArray();
        var baseR2 = RegressionScores.Of(ys, ModelData.Predict(new MLContext(o.Seed), model, xs, width)).R2;

        var features = featurizer.Features;
        var result = new (double Mean, double Sd)[features.Count];
        Parallel.For(0, features.Count, new ParallelOptions { MaxDegreeOfParallelism = o.MaxDegreeOfParallelism, CancellationToken = ct }, fi =>
        {
            var slots = featurizer.Slots.Select((s, k) => (s, k)).Where(p => p.s.Feature == features[fi]).Select(p => p.k).ToArray();
            var random = new Random(unchecked(o.Seed * 31 + fi + 1));
            var ml = new MLContext(o.Seed);
            var drops = new double[o.PermutationCount];
            for (var p = 0; p < o.PermutationCount; p++)
            {
                var perm = Enumerable.Range(0, xs.Length).ToArray();
                random.Shuffle(perm);
                var xp = new float[xs.Length][];
                for (var i = 0; i < xs.Length; i++)
                {
                    xp[i] = (float[])xs[i].Clone();
                    foreach (var k in slots) xp[i][k] = xs[perm[i]][k];
                }
                drops[p] = baseR2 - RegressionScores.Of(ys, ModelData.Predict(ml, model, xp, width)).R2;
            }
            var mean = drops.Average();
            var sd = drops.Length > 1 ? Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / (drops.Length - 1)) : 0;
            result[fi] = (mean, sd);
        });

        return [.. Enumerable.Range(0, features.Count)
            .OrderByDescending(fi => result[fi].Mean).ThenBy(fi => features[fi], StringComparer.Ordinal)
            .Select((fi, rank) => new FeatureImportanceRow(concern, instrument, trainer, features[fi], result[fi].Mean, result[fi].Sd, rank + 1))];
    }
}
