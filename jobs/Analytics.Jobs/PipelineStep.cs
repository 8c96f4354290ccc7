namespace Analytics.Jobs;

/// <summary>The steps of a run, in chain order.</summary>
[Flags]
public enum PipelineStepKind
{
    None = 0,
    Pull = 1,
    Compute = 2,
    Refit = 4,
    MonthlyWorkbooks = 8,
    ProtocolWorkbook = 16,
    All = Pull | Compute | Refit | MonthlyWorkbooks | ProtocolWorkbook,
}

public static class PipelineSteps
{
    public static readonly PipelineStepKind[] Order =
        [PipelineStepKind.Pull, PipelineStepKind.Compute, PipelineStepKind.Refit, PipelineStepKind.MonthlyWorkbooks, PipelineStepKind.ProtocolWorkbook];

    public static string Name(PipelineStepKind step) => step switch
    {
        PipelineStepKind.Pull => "pull",
        PipelineStepKind.Compute => "compute",
        PipelineStepKind.Refit => "refit",
        PipelineStepKind.MonthlyWorkbooks => "monthly-workbooks",
        PipelineStepKind.ProtocolWorkbook => "protocol-workbook",
        _ => step.ToString(),
    };

    /// <summary>yyyymm, e.g. 202610; anything else is refused with a clear message.</summary>
    public static int ValidateMonth(int month)
    {
        if (month < 190001 || month > 999912 || month % 100 is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(month), month, "Month must be yyyymm (e.g. 202610).");
        }
        return month;
    }

    /// <summary>The calendar month before <paramref name="now"/> in <paramref name="zone"/>, as yyyymm.</summary>
    public static int PreviousMonth(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var first = new DateTime(local.Year, local.Month, 1).AddMonths(-1);
        return first.Year * 100 + first.Month;
    }
}
