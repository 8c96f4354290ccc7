using Analytics.Reports.Workbooks;

namespace Analytics.Reports.Tests;

public sealed class ReportPathsFacts
{
    [Theory]
    [InlineData("c01", "c01")]
    [InlineData("00123", "00123")]
    [InlineData("ALL", "ALL")]
    public void Plain_ids_keep_their_name(string id, string file) => Assert.Equal(file, ReportPaths.SafeFileName(id));

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/b")]
    [InlineData("+north")]
    [InlineData("CON")]
    [InlineData("network")]
    [InlineData("")]
    public void Unsafe_or_reserved_ids_become_safe_distinct_names(string id)
    {
        var name = ReportPaths.SafeFileName(id);
        Assert.Matches("^[A-Za-z0-9_-]+-[0-9a-f]{8}$", name);
        Assert.NotEqual(name, ReportPaths.SafeFileName(id + "x"));
    }

    [Fact]
    public void Ids_that_differ_only_in_replaced_characters_do_not_share_a_file() =>
        Assert.NotEqual(ReportPaths.SafeFileName("a/b"), ReportPaths.SafeFileName("a_b"));

    [Fact]
    public void Layout_is_month_folder_per_clinic_network_and_protocols_at_root()
    {
        Assert.Equal(Path.Combine("r", "2025-10", "c01.xlsx"), ReportPaths.Monthly("r", 202510, "c01"));
        Assert.Equal(Path.Combine("r", "2025-10", "network.xlsx"), ReportPaths.Network("r", 202510));
        Assert.Equal(Path.Combine("r", "protocols.xlsx"), ReportPaths.Protocols("r"));
    }
}
