using Analytics.Domain;
using Microsoft.ML;

namespace Analytics.Modelling;

/// <summary>
/// Fits one model: seeded k-fold cross-validation of every enabled trainer against a
/// predict-the-mean baseline (its mean taken on the training folds), choice by CV RMSE, a refit of
/// the winner on all rows, and grouped permutation feature importance.
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
        var fold = AssignFolds(patients.Distinct(StringComparer.Ordinal).Count() >= o.Folds ? patients : [.. courses.Select(c => c.CourseId)], o.Folds, o.Seed);

        var skipped = new List<SkippedTrainer>();
        var trainers = new List<OutcomeTrainers>();
        foreach (var t in TrainerFactory.Enabled(o.Trainers))
        {
            if (t == OutcomeTrainers.Gam && n > o.GamRowLimit)
                skipped.Add(new SkippedTrainer(TrainerFactory.Name(t), $"{n} rows > GAM row limit {o.GamRowLimit}"));
            else
                trainers.Add(t);
        }
        if (trainers.Count == 0)
        {
            // GAM was the only trainer enabled: run it anyway rather than fit nothing.
            skipped.Clear();
            trainers.Add(OutcomeTrainers.Gam);
        }

        // Each (trainer, fold) job gets its own MLContext with the same seed, so results do not
        // depend on how many run at once or in which order.
        var oof = trainers.Select(_ => new double[n]).ToArray();
        var jobs = trainers.SelectMany((t, ti) => Enumerable.Range(0, o.Folds).Select(f => (t, ti, f))).ToArray();
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = o.MaxDegreeOfParallelism, CancellationToken = ct }, job =>
        {
            var ml = new MLContext(o.Seed);
            var trainIdx = Enumerable.Range(0, n).Where(i => fold[i] != job.f).ToArray();
            var testIdx = Enumerable.Range(0, n).Where(i => fold[i] == job.f).ToArray();
            var model = TrainerFactory.Create(ml, job.t, o)
                .Fit(ModelData.Load(ml, [.. trainIdx.Select(i => x[i])], [.. trainIdx.Select(i => (float)y[i])], width));
            var p = ModelData.Predict(ml, model, [.. testIdx.Select(i => x[i])], width);
            for (var k = 0; k < testIdx.Length; k++) oof[job.ti][testIdx[k]] = p[k];
        });
        ct.ThrowIfCancellationRequested();

        var baselineOof = new double[n];
        for (var f = 0; f < o.Folds; f++)
        {
            var trainMean = Enumerable.Range(0, n).Where(i => fold[i] != f).Average(i => y[i]);
            for (var i = 0; i < n; i++) if (fold[i] == f) baselineOof[i] = trainMean;
        }
        var baselineScores = RegressionScores.Of(y, baselineOof);
        var baseline = new CandidateScores(TrainerFactory.BaselineName, baselineScores.R2, baselineScores.Rmse, baselineScores.Mae, null);

        var candidates = trainers.Select((t, ti) =>
        {
            var s = RegressionScores.Of(y, oof[ti]);
            return new CandidateScores(TrainerFactory.Name(t), s.R2, s.Rmse, s.Mae, TrainerFactory.HyperParameters(t, o));
        }).ToList();
        var best = Enumerable.Range(0, trainers.Count).MinBy(ti => candidates[ti].Rmse);
        var beats = candidates[best].Rmse < baseline.Rmse * (1 - o.MinRmseGainOverBaseline);

        var finalMl = new MLContext(o.Seed);
        var trainData = ModelData.Load(finalMl, x, [.. y.Select(v => (float)v)], width);
        var final = TrainerFactory.Create(finalMl, trainers[best], o).Fit(trainData);
        var schemaHash = ModelSchema.Hash(trainData.Schema, featurizer.Slots);

        var importances = beats
            ? PermutationImportance(concern, instrument, candidates[best].Trainer, featurizer, final, x, y, o, ct)
            : [];

        return new OutcomeModelCell(
            concern, instrument, courses, featurizer, candidates, baseline, skipped, candidates[best].Trainer, beats,
            oof[best], final, schemaHash, importances, CourseFeaturizer.CountMissing(courses), o.Folds);
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
