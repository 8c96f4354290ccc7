using Analytics.Domain;

namespace Analytics.Modelling.Tests;

/// <summary>
/// A cell larger than <see cref="ModellingOptions.SelectionMaxRows"/>: the candidates and the
/// baseline are compared on a patient-grouped subsample, the chosen trainer is cross-validated on
/// every course, and observed/expected covers every course.
/// </summary>
public class SelectionSubsampleFacts
{
    private static ModellingOptions Options(int parallelism) =>
        SyntheticCourses.FastOptions() with { SelectionMaxRows = 300, MaxDegreeOfParallelism = parallelism };

    [Fact]
    public async Task Candidates_are_compared_on_the_subsample_and_the_chosen_model_covers_all_courses()
    {
        var courses = SyntheticCourses.Generate(900, seed: 21);
        var dir = Path.Combine(Path.GetTempPath(), "modelling-facts-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = await OutcomeModelTrainer.FitAllAsync(courses, Options(2), dir, new InMemoryModelRegistryStore());

            var cell = Assert.Single(run.Cells);
            Assert.True(cell.Subsampled);
            // Every synthetic patient has one course, so the subsample is exactly the limit.
            Assert.Equal(300, cell.ComparedCourses);
            var rows = run.Report.Models;
            // sdca, fasttree, lightgbm and the baseline on the subsample (GAM allowed: 300 ≤ its limit of 1,000) ...
            Assert.Equal(["sdca", "fasttree", "lightgbm", "gam", TrainerFactory.BaselineName], rows.Where(r => r.N == 300).Select(r => r.Trainer));
            // ... then the chosen trainer and the baseline on all 900 courses.
            Assert.Equal([cell.ChosenTrainer, TrainerFactory.BaselineName], rows.Where(r => r.N == 900).Select(r => r.Trainer));
            Assert.Equal(cell.Candidates.MinBy(c => c.Rmse)!.Trainer, cell.ChosenTrainer);
            Assert.True(cell.BeatsBaseline);
            Assert.Single(rows, r => r.Promoted && r.N == 900);

            var fit = Assert.Single(run.Fits);
            Assert.Equal(900, fit.Rows);
            Assert.Equal(cell.ChosenOnAllCourses.Rmse, fit.Rmse);
            Assert.Contains("compared on 300 of 900 courses", fit.Note!);
            var details = ModelFitDetails.FromJson(fit.DetailsJson!);
            Assert.Equal(300, details.ComparedCourses);
            Assert.Equal(cell.ChosenOnAllCourses, details.ChosenOnAllCourses);
            Assert.Equal(cell.BaselineOnAllCourses.Rmse, fit.BaselineRmse);

            // Out-of-fold predictions for every course, and O/E rows that together hold every course.
            Assert.Equal(900, cell.OutOfFoldPredictions.Count);
            Assert.All(cell.OutOfFoldPredictions, p => Assert.True(double.IsFinite(p) && p != 0));
            Assert.Equal(900, run.Report.ObservedExpected.Where(r => r.Level == ObservedExpected.ClinicLevel).Sum(r => r.Courses));
            // The all-course RMSE is the RMSE of those out-of-fold predictions.
            var y = courses.OrderBy(c => c.CourseId, StringComparer.Ordinal).Select(c => c.ImprovementPct!.Value).ToArray();
            var rmse = Math.Sqrt(y.Select((v, i) => (v - cell.OutOfFoldPredictions[i]) * (v - cell.OutOfFoldPredictions[i])).Average());
            Assert.Equal(rmse, cell.ChosenOnAllCourses.Rmse, 3);

            var again = await OutcomeModelTrainer.FitAllAsync(courses, Options(1), dir + "-again", new InMemoryModelRegistryStore());
            Assert.Equal(run.Report.Models, again.Report.Models);
            Assert.Equal(run.Report.ObservedExpected, again.Report.ObservedExpected);
            Assert.Equal(run.Report.FeatureImportances, again.Report.FeatureImportances);
            Assert.Equal(cell.OutOfFoldPredictions, again.Cells[0].OutOfFoldPredictions);
            Assert.Equal(cell.Predict(courses), again.Cells[0].Predict(courses));
        }
        finally
        {
            foreach (var d in new[] { dir, dir + "-again" }) if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
        }
    }

    [Fact]
    public void Subsample_keeps_whole_patients_and_is_seeded()
    {
        var r = new Random(5);
        var patients = Enumerable.Range(0, 2_000).Select(_ => $"p{r.Next(600)}").ToList();

        var rows = OutcomeModelFitter.SelectionRows(patients, 500, seed: 3);

        // Whole patients are added until the limit is reached, so it is passed by less than one patient's courses.
        Assert.InRange(rows.Length, 500, 500 + patients.GroupBy(p => p).Max(g => g.Count()) - 1);
        var picked = rows.Select(i => patients[i]).ToHashSet();
        Assert.Equal(patients.Count(picked.Contains), rows.Length);
        Assert.Equal(rows, OutcomeModelFitter.SelectionRows(patients, 500, seed: 3));
        Assert.NotEqual(rows, OutcomeModelFitter.SelectionRows(patients, 500, seed: 4));
        Assert.Equal(Enumerable.Range(0, 100), OutcomeModelFitter.SelectionRows(patients[..100], 500, seed: 3));
    }
}
