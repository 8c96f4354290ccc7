using Analytics.Domain;

namespace Analytics.Modelling.Tests;

public class CourseFeaturizerFacts
{
    private static CourseOutcome Course(int i, int? age, int? fitz, string? device, double? depth) => new(
        $"c{i}", $"p{i}", "cl", "pr", "acne_scars", i % 2 == 0 ? "microneedling+prp" : "microneedling", "goodman_baron_quant",
        InstrumentKind.Severity, 3, new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1), age, "f", fitz, 40, null, 20,
        new DateOnly(2024, 6, 1), true, 50, 20, true, 30, depth, device, "face");

    private static readonly List<CourseOutcome> Courses =
    [
        Course(0, 30, 2, "pen", 1.0),
        Course(1, null, null, "pen", null),
        Course(2, 50, 5, "unheard_of_device", 1.5),
        Course(3, null, 2, null, 2.0),
        Course(4, 40, 6, "roller", null),
    ];

    [Fact]
    public void Missing_values_are_counted_per_feature()
    {
        var counts = CourseFeaturizer.CountMissing(Courses);

        Assert.Equal(2, counts[CourseFeaturizer.AgeFeature]);
        Assert.Equal(1, counts[CourseFeaturizer.FitzpatrickFeature]);
        Assert.Equal(2, counts[CourseFeaturizer.DeviceFeature]); // null and an unknown code
        Assert.Equal(2, counts[CourseFeaturizer.NeedleDepthFeature]);
        Assert.Equal(0, counts[CourseFeaturizer.BaselineFeature]);
        Assert.Equal(0, counts[CourseFeaturizer.AreaFeature]);
    }

    [Fact]
    public void A_missing_number_is_filled_with_the_training_median_and_flagged()
    {
        var f = CourseFeaturizer.Fit(Courses, pooled: false);
        var slots = f.Slots.Select(s => s.Name).ToList();
        var missing = f.Featurize(Courses[1]);
        var present = f.Featurize(Courses[0]);

        Assert.Equal(40, f.AgeFill); // median of 30, 50, 40
        Assert.Equal(1.5, f.NeedleDepthFill); // median of 1.0, 1.5, 2.0
        Assert.Equal(40f, missing[slots.IndexOf("age")]);
        Assert.Equal(1f, missing[slots.IndexOf("age_missing")]);
        Assert.Equal(30f, present[slots.IndexOf("age")]);
        Assert.Equal(0f, present[slots.IndexOf("age_missing")]);
        Assert.Equal(1.5f, missing[slots.IndexOf("needle_depth_mm")]);
        Assert.Equal(1f, missing[slots.IndexOf("needle_depth_mm_missing")]);
    }

    [Fact]
    public void A_missing_category_gets_its_own_slot_and_no_level()
    {
        var f = CourseFeaturizer.Fit(Courses, pooled: false);
        var slots = f.Slots.Select(s => s.Name).ToList();
        var v = f.Featurize(Courses[1]);

        Assert.Equal(1f, v[slots.IndexOf("fitzpatrick_type_missing")]);
        Assert.All(Enumerable.Range(1, 6), t => Assert.Equal(0f, v[slots.IndexOf($"fitzpatrick_type={t}")]));
        var unknownDevice = f.Featurize(Courses[2]);
        Assert.Equal(1f, unknownDevice[slots.IndexOf("device_missing")]);
        Assert.Equal(1f, f.Featurize(Courses[0])[slots.IndexOf("device=pen")]);
    }

    [Fact]
    public void Slots_map_back_to_named_features()
    {
        var f = CourseFeaturizer.Fit(Courses, pooled: false);

        Assert.Equal(f.Slots.Count, f.Slots.Select(s => s.Name).Distinct().Count());
        Assert.Equal(f.Slots.Count, f.Featurize(Courses[0]).Length);
        Assert.All(Codes.Adjuncts, a => Assert.Contains("adjunct:" + a, f.Features));
        Assert.Equal(7, f.Slots.Count(s => s.Feature == CourseFeaturizer.FitzpatrickFeature)); // six types + missing
        Assert.Equal(1f, f.Featurize(Courses[0])[f.Slots.ToList().FindIndex(s => s.Name == "adjunct:prp")]);
        Assert.DoesNotContain(CourseFeaturizer.ConcernFeature, f.Features);
        Assert.Contains(CourseFeaturizer.ConcernFeature, CourseFeaturizer.Fit(Courses, pooled: true).Features);
    }
}
