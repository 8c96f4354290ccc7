using System.Security.Cryptography;
using System.Text;
using Analytics.Domain;

namespace Analytics.Reports.Workbooks;

/// <summary>
/// Where workbooks go: <c>root/YYYY-MM/&lt;clinic&gt;.xlsx</c> per clinic (the network's monthly
/// workbook is <c>ALL.xlsx</c>), <c>root/YYYY-MM/network.xlsx</c> for clinics side by side and
/// <c>root/protocols.xlsx</c> for the protocol comparison.
/// </summary>
public static class ReportPaths
{
    public const string NetworkFileName = "network.xlsx";
    public const string ProtocolsFileName = "protocols.xlsx";

    public static string MonthFolder(string root, int month) => Path.Combine(root, Codes.MonthText(month));

    public static string Monthly(string root, int month, string clinicId) =>
        Path.Combine(MonthFolder(root, month), SafeFileName(clinicId) + ".xlsx");

    public static string Network(string root, int month) => Path.Combine(MonthFolder(root, month), NetworkFileName);

    public static string Protocols(string root) => Path.Combine(root, ProtocolsFileName);

    private static readonly HashSet<string> WindowsReserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "NETWORK", "PROTOCOLS",
    };

    /// <summary>
    /// A file name for a clinic id: letters, digits, <c>-</c> and <c>_</c> kept, anything else
    /// replaced by <c>_</c>; when anything was replaced (or the name is reserved) a short hash of
    /// the original id is appended so two ids never share a file.
    /// </summary>
    public static string SafeFileName(string clinicId)
    {
        var builder = new StringBuilder(clinicId.Length);
        foreach (var ch in clinicId)
        {
            builder.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_');
        }
        var safe = builder.ToString();
        if (safe.Length > 80)
        {
            safe = safe[..80];
        }
        if (safe == clinicId && safe.Length > 0 && !WindowsReserved.Contains(safe))
        {
            return safe;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clinicId)))[..8];
        return (safe.Length == 0 ? "clinic" : safe) + "-" + hash;
    }
}
