using Microsoft.ML;
using Microsoft.ML.Data;

namespace Analytics.Modelling;

/// <summary>The ML.NET input row: one feature vector and the target (improvement %).</summary>
internal sealed class ModelInput
{
    public float Label { get; set; }

    public float[] Features { get; set; } = [];
}

/// <summary>Feature matrix of one model's courses and the conversions to and from ML.NET.</summary>
internal static class ModelData
{
    public const string ScoreColumn = "Score";

    public static IDataView Load(MLContext ml, IReadOnlyList<float[]> x, IReadOnlyList<float>? y, int width)
    {
        var definition = SchemaDefinition.Create(typeof(ModelInput));
        definition[nameof(ModelInput.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var rows = new List<ModelInput>(x.Count);
        for (var i = 0; i < x.Count; i++) rows.Add(new ModelInput { Features = x[i], Label = y?[i] ?? 0 });
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    public static double[] Predict(MLContext ml, ITransformer model, IReadOnlyList<float[]> x, int width)
    {
        var scored = model.Transform(Load(ml, x, null, width));
        return [.. scored.GetColumn<float>(ScoreColumn).Select(s => (double)s)];
    }
}

/// <summary>R², RMSE and MAE of predictions against targets (R² against the targets' own mean).</summary>
public sealed record RegressionScores(double R2, double Rmse, double Mae)
{
    public static RegressionScores Of(IReadOnlyList<double> y, IReadOnlyList<double> predicted)
    {
        var n = y.Count;
        var mean = y.Average();
        double sse = 0, sst = 0, sae = 0;
        for (var i = 0; i < n; i++)
        {
            var e = y[i] - predicted[i];
            sse += e * e;
            sae += Math.Abs(e);
            sst += (y[i] - mean) * (y[i] - mean);
        }
        return new RegressionScores(sst > 0 ? 1 - sse / sst : 0, Math.Sqrt(sse / n), sae / n);
    }
}
