using Analytics.Domain;

namespace Analytics.Modelling.Tests;

public class ObservedExpectedFacts
{
    [Fact]
    public void Mean_interval_matches_scipy()
    {
        // /usr/bin/python3: d=[1.2,-0.5,3.1,2.2,0.4];
        // scipy.stats.t.interval(0.95, 4, loc=mean(d), scale=scipy.stats.sem(d)) -> (-0.48779118250727826, 3.0477911825072783)
        var (low, high) = ObservedExpected.MeanInterval([1.2, -0.5, 3.1, 2.2, 0.4]);

        Assert.Equal(-0.48779118250727826, low, 10);
        Assert.Equal(3.0477911825072783, high, 10);
    }

    private static CourseOutcome Course(string clinic, string? practitioner, double improvement) => new(
        Guid.NewGuid().ToString(), "p", clinic, practitioner, "acne_scars", "microneedling", "goodman_baron_quant",
        InstrumentKind.Severity, 3, default, default, 30, "f", 3, 40, null, 20, null, true, improvement, 1, true);

    [Fact]
    public void Units_below_the_minimum_volume_keep_their_count_but_show_no_statistics()
    {
        var courses = new[]
        {
            Course("a", "x", 10), Course("a", "x", 20), Course("a", "y", 30),
            Course("b", "y", 40), Course("b", null, 50),
        };
        double[] expected = [12, 14, 16, 30, 40];

        var rows = ObservedExpected.Compute("acne_scars", "goodman_baron_quant", courses, expected, minVolume: 3);

        var a = rows.Single(r => r.Level == ObservedExpected.ClinicLevel && r.Id == "a");
        Assert.True(a.Shown);
        Assert.Equal(3, a.Courses);
        Assert.Equal(20, a.ObservedMean!.Value, 12);
        Assert.Equal(14, a.ExpectedMean!.Value, 12);
        Assert.Equal(6, a.ObservedMinusExpected!.Value, 12);
        Assert.Equal(20.0 / 14.0, a.OeRatio!.Value, 12);
        var b = rows.Single(r => r.Level == ObservedExpected.ClinicLevel && r.Id == "b");
        Assert.False(b.Shown);
        Assert.Equal(2, b.Courses);
        Assert.Null(b.ObservedMean);
        var y = rows.Single(r => r.Level == ObservedExpected.PractitionerLevel && r.Id == "y");
        Assert.Null(y.ClinicId); // works in two clinics
        Assert.Equal("a", rows.Single(r => r.Level == ObservedExpected.PractitionerLevel && r.Id == "x").ClinicId);
        Assert.Equal(2, rows.Count(r => r.Level == ObservedExpected.PractitionerLevel)); // the course without practitioner has no row
    }
}
