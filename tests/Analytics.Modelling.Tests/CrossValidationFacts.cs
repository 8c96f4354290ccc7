namespace Analytics.Modelling.Tests;

public class CrossValidationFacts
{
    [Fact]
    public void Folds_keep_a_patients_courses_together_and_are_balanced()
    {
        var r = new Random(3);
        var patients = Enumerable.Range(0, 1_000).Select(_ => $"p{r.Next(400)}").ToList();

        var fold = OutcomeModelFitter.AssignFolds(patients, 5, seed: 9);

        Assert.All(patients.Select((p, i) => (p, f: fold[i])).GroupBy(x => x.p), g => Assert.Single(g.Select(x => x.f).Distinct()));
        var patientsPerFold = patients.Select((p, i) => (p, f: fold[i])).Distinct().GroupBy(x => x.f).Select(g => g.Count()).ToList();
        Assert.Equal(5, patientsPerFold.Count);
        Assert.True(patientsPerFold.Max() - patientsPerFold.Min() <= 1);
        Assert.Equal(fold, OutcomeModelFitter.AssignFolds(patients, 5, seed: 9));
    }
}
