using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;

namespace Analytics.Modelling;

/// <summary>The saved model's input schema does not match the features the current code builds.</summary>
public sealed class ModelSchemaMismatchException(string message) : Exception(message);

/// <summary>Fingerprint of a model's input: column names and types plus the name of every feature slot.</summary>
public static class ModelSchema
{
    public static string Hash(DataViewSchema inputSchema, IReadOnlyList<FeatureSlot> slots)
    {
        var text = new StringBuilder();
        foreach (var column in inputSchema.Where(c => !c.IsHidden).OrderBy(c => c.Name, StringComparer.Ordinal))
            text.Append(column.Name).Append(':').Append(column.Type).Append('\n');
        text.Append("--slots--\n");
        foreach (var slot in slots) text.Append(slot.Name).Append('\t').Append(slot.Feature).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
