using System.Runtime.InteropServices;

namespace Analytics.Statistics;

internal static class Guard
{
    public static void Confidence(double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence level must lie strictly between 0 and 1.");
    }

    public static void Finite(ReadOnlySpan<double> values, string paramName)
    {
        foreach (var v in values)
            if (!double.IsFinite(v))
                throw new ArgumentException("Values must be finite numbers (filter missing values before calling).", paramName);
    }

    /// <summary>The values as a span: no copy for arrays and <see cref="List{T}"/>, a copy otherwise.</summary>
    public static ReadOnlySpan<double> AsSpan(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values switch
        {
            double[] array => array,
            List<double> list => CollectionsMarshal.AsSpan(list),
            _ => values.ToArray(),
        };
    }
}
