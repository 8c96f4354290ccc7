namespace Analytics.Outcomes;

/// <summary>
/// Maps the few distinct texts of a grouping column (clinic, concern, patient…) to small integers once per row,
/// so cells are keyed by integer tuples (cheap hashing, one string hash per value instead of per cell).
/// </summary>
internal sealed class TextIndex
{
    /// <summary>The index standing for <c>ALL</c> (network rows, concern totals).</summary>
    public const int All = -1;

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _texts = [];

    public int this[string text]
    {
        get
        {
            if (_ids.TryGetValue(text, out var id)) return id;
            id = _texts.Count;
            _ids.Add(text, id);
            _texts.Add(text);
            return id;
        }
    }

    /// <summary>The index of a text given as characters: no string is allocated when it is already known.</summary>
    public int Intern(ReadOnlySpan<char> text)
    {
        var lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var id)) return id;
        return this[new string(text)];
    }

    public string Text(int id) => id == All ? Analytics.Domain.Codes.All : _texts[id];

    public int Count => _texts.Count;
}

/// <summary>Collects values of a cell for a mean and its Student-t interval.</summary>
internal sealed class Values
{
    private double[] _items = new double[4];

    public int Count { get; private set; }

    public void Add(double value)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = value;
    }

    public ReadOnlySpan<double> Span => _items.AsSpan(0, Count);

    public void Clear() => Count = 0;
}

/// <summary>Sorts report rows by their key columns, texts ordinally (so <c>ALL</c> sorts before lower-case ids).</summary>
internal static class KeyOrder
{
    public static int Compare(string a, string b) => string.CompareOrdinal(a, b);
}
