using System.Security.Cryptography;
using System.Text;
using Analytics.Data;
using Microsoft.Extensions.Logging;

namespace Analytics.Ingest;

/// <summary>The <c>Privacy</c> configuration section.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>HMAC key for patient refs: base64 (≥ 16 bytes decoded) or plain text. Empty: a key file is used.</summary>
    public string? PatientKey { get; set; }

    /// <summary>Where the generated key lives when no key is configured; default: beside the SQLite file, else the working folder.</summary>
    public string? KeyFile { get; set; }
}

/// <summary>
/// Replaces a source patient_ref by HMAC-SHA256(key, ref) as 64 lower-case hex characters.
/// The raw ref never leaves this class.
/// </summary>
public sealed class PatientPseudonymiser
{
    public const string KeyFileName = "analytics.key";

    private readonly byte[] _key;

    // A fixed-size, direct-mapped cache: a patient's rows mostly come together (or within a month), so a recent ref is
    // found without its HMAC, and memory stays the same however many patients an import holds (65,536 slots, a few MB).
    private const int CacheSlots = 1 << 16;
    private readonly Entry?[] _cache = new Entry?[CacheSlots];

    private sealed record Entry(string Ref, string Pseudonym);

    public PatientPseudonymiser(byte[] key)
    {
        if (key.Length == 0) throw new ArgumentException("The patient key is empty.", nameof(key));
        _key = key;
    }

    public string Pseudonym(string patientRef)
    {
        var slot = (int)((uint)string.GetHashCode(patientRef, StringComparison.Ordinal) % CacheSlots);
        // One reference read and one write per call: threads sharing the pseudonymiser see an old or a new entry, never half of one.
        if (Volatile.Read(ref _cache[slot]) is { } known && known.Ref == patientRef) return known.Pseudonym;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(patientRef), mac);
        var pseudonym = Convert.ToHexStringLower(mac);
        Volatile.Write(ref _cache[slot], new Entry(patientRef, pseudonym));
        return pseudonym;
    }

    /// <summary>
    /// The key from <c>Privacy:PatientKey</c>, else from the key file (created once with a random key, and a warning logged).
    /// </summary>
    public static PatientPseudonymiser Create(PrivacyOptions privacy, DatabaseOptions database, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(privacy.PatientKey)) return new PatientPseudonymiser(ParseKey(privacy.PatientKey));
        var file = privacy.KeyFile ?? DefaultKeyFile(database);
        return new PatientPseudonymiser(LoadOrCreateKeyFile(file, logger));
    }

    public static byte[] ParseKey(string text)
    {
        var trimmed = text.Trim();
        try
        {
            var bytes = Convert.FromBase64String(trimmed);
            if (bytes.Length >= 16) return bytes;
        }
        catch (FormatException)
        {
            // Not base64: use the text itself.
        }
        return Encoding.UTF8.GetBytes(trimmed);
    }

    public static string DefaultKeyFile(DatabaseOptions database)
    {
        var dbFile = database.SqliteFilePath;
        var folder = dbFile is not null ? Path.GetDirectoryName(dbFile)! : Directory.GetCurrentDirectory();
        return Path.Combine(folder, KeyFileName);
    }

    private static byte[] LoadOrCreateKeyFile(string file, ILogger logger)
    {
        if (!File.Exists(file))
        {
            var key = RandomNumberGenerator.GetBytes(32);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            try
            {
                // CreateNew: when two processes race, the second reads the first one's key.
                using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(key));
                logger.LogWarning(
                    "No Privacy:PatientKey configured: created a random patient key in {KeyFile}. Keep this file (and back it up): without it, re-imported patients get new pseudonyms.",
                    file);
                return key;
            }
            catch (IOException) when (File.Exists(file))
            {
                // Lost the race: fall through and read it.
            }
        }
        else
        {
            logger.LogWarning("No Privacy:PatientKey configured: using the key file {KeyFile}.", file);
        }
        for (var attempt = 0; ; attempt++)
        {
            var text = File.ReadAllText(file).Trim();
            if (text.Length > 0 || attempt > 20) return ParseKey(text.Length > 0 ? text : throw new InvalidOperationException($"Key file {file} is empty."));
            Thread.Sleep(50);
        }
    }
}
