namespace Analytics.Testing;

/// <summary>Parses T-SQL with Microsoft's own parser (ScriptDom), since no SQL Server runs here.</summary>
public static class TSqlValidator
{
    public static IReadOnlyList<string> Errors(string sql)
    {
        var parser = new Microsoft.SqlServer.TransactSql.ScriptDom.TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return [.. errors.Select(e => $"line {e.Line}, col {e.Column}: {e.Message}")];
    }
}
