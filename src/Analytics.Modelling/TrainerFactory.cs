using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Analytics.Modelling;

/// <summary>
/// Builds the candidate pipelines. Every trainer runs single-threaded with a fixed seed: SDCA is
/// not reproducible with several threads, and parallelism comes from running folds side by side.
/// </summary>
internal static class TrainerFactory
{
    public const string BaselineName = "baseline_mean";

    public static IEnumerable<OutcomeTrainers> Enabled(OutcomeTrainers trainers) =>
        new[] { OutcomeTrainers.Sdca, OutcomeTrainers.FastTree, OutcomeTrainers.LightGbm, OutcomeTrainers.Gam }
            .Where(t => trainers.HasFlag(t));

    public static string Name(OutcomeTrainers trainer) => trainer switch
    {
        OutcomeTrainers.Sdca => "sdca",
        OutcomeTrainers.FastTree => "fasttree",
        OutcomeTrainers.LightGbm => "lightgbm",
        OutcomeTrainers.Gam => "gam",
        _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "Not a single trainer."),
    };

    public static IEstimator<ITransformer> Create(MLContext ml, OutcomeTrainers trainer, ModellingOptions o)
    {
        const string label = nameof(ModelInput.Label), features = nameof(ModelInput.Features);
        return trainer switch
        {
            OutcomeTrainers.Sdca => ml.Transforms.NormalizeMinMax(features)
                .AppendCacheCheckpoint(ml)
                .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
                {
                    LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1,
                    MaximumNumberOfIterations = o.SdcaIterations,
                })),
            OutcomeTrainers.FastTree => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1, Seed = o.Seed,
                NumberOfTrees = o.Trees, NumberOfLeaves = o.Leaves, MinimumExampleCountPerLeaf = o.MinExamplesPerLeaf,
                LearningRate = o.LearningRate,
            }),
            OutcomeTrainers.LightGbm => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1, Seed = o.Seed,
                Deterministic = true, Silent = true, Verbose = false,
                NumberOfIterations = o.Trees, NumberOfLeaves = o.Leaves, MinimumExampleCountPerLeaf = o.MinExamplesPerLeaf,
                LearningRate = o.LearningRate,
            }),
            OutcomeTrainers.Gam => ml.Regression.Trainers.Gam(new GamRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfThreads = 1, Seed = o.Seed,
                NumberOfIterations = o.GamIterations,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "Not a single trainer."),
        };
    }

    public static string HyperParameters(OutcomeTrainers trainer, ModellingOptions o)
    {
        object p = trainer switch
        {
            OutcomeTrainers.Sdca => new { normalisation = "min_max", max_iterations = o.SdcaIterations, threads = 1 },
            OutcomeTrainers.FastTree or OutcomeTrainers.LightGbm => new
            {
                trees = o.Trees, leaves = o.Leaves, min_examples_per_leaf = o.MinExamplesPerLeaf,
                learning_rate = o.LearningRate, threads = 1, seed = o.Seed,
            },
            OutcomeTrainers.Gam => new { iterations = o.GamIterations, threads = 1, seed = o.Seed },
            _ => new { },
        };
        return JsonSerializer.Serialize(p);
    }
}
