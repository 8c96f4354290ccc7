using System.Globalization;
using Analytics.Domain;

namespace Analytics.Modelling;

/// <summary>
/// Which fit reports use: the latest fit that beats its baseline, unless its CV RMSE is worse than
/// the currently promoted fit's by more than the tolerance (then it is stored, not promoted).
/// </summary>
public static class ModelPromotion
{
    public static (bool Promote, string Note) Decide(
        bool beatsBaseline, double rmse, double baselineRmse, ModelFit? current, double tolerance)
    {
        var c = CultureInfo.InvariantCulture;
        if (!beatsBaseline)
            return (false, string.Format(c, "Not promoted: CV RMSE {0:0.###} does not beat the predict-the-mean baseline ({1:0.###}); not used for observed/expected or what-if.", rmse, baselineRmse));
        if (current is null)
            return (true, "Promoted: first good fit for this concern and instrument.");
        if (rmse > current.Rmse * (1 + tolerance))
            return (false, string.Format(c, "Not promoted: CV RMSE {0:0.###} is more than {1:0.#} % worse than promoted fit #{2} ({3:0.###}), which stays in use.", rmse, tolerance * 100, current.Id, current.Rmse));
        return (true, string.Format(c, "Promoted: replaces fit #{0} (CV RMSE {1:0.###} → {2:0.###}).", current.Id, current.Rmse, rmse));
    }
}
