using System.Runtime.CompilerServices;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

/// <summary>
/// The set of (cell, patient) pairs seen, to count distinct patients per cell: one open-addressing table of longs
/// (a large array the GC neither copies nor scans) instead of a hash set object per cell.
/// </summary>
internal sealed class CellPatientPairs
{
    private long[] _slots = new long[1 << 16]; // 0 = empty; stored keys are pair + 1
    private int _count;

    /// <summary>Sizes the table once for about <paramref name="pairs"/> pairs (an estimate: it still grows past it).</summary>
    public void Reserve(long pairs)
    {
        if (_count > 0) return;
        var size = 1L << 16;
        while (size < pairs * 2 && size < 1 << 28) size <<= 1;
        if (size > _slots.Length) _slots = new long[size];
    }

    /// <summary>True when the patient is new to the cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(int cell, int patient)
    {
        var key = (((long)cell << 32) | (uint)patient) + 1;
        var mask = _slots.Length - 1;
        var i = (int)(Mix(key) & (ulong)mask);
        while (true)
        {
            var slot = _slots[i];
            if (slot == key) return false;
            if (slot == 0) break;
            i = (i + 1) & mask;
        }
        _slots[i] = key;
        if (++_count * 2 > _slots.Length) Grow();
        return true;
    }

    private static ulong Mix(long key)
    {
        var x = (ulong)key * 0x9E3779B97F4A7C15UL;
        return x ^ (x >> 29);
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new long[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var key in old)
        {
            if (key == 0) continue;
            var i = (int)(Mix(key) & (ulong)mask);
            while (_slots[i] != 0) i = (i + 1) & mask;
            _slots[i] = key;
        }
    }
}

/// <summary>
/// Maps UTF-8 texts (patient pseudonyms, read straight from SQLite) to small integers without a string per distinct
/// text: the bytes go to one arena, the lookup is open addressing over an int array.
/// </summary>
internal sealed class Utf8Index
{
    private byte[] _arena = new byte[1 << 16];
    private int _used;
    private int[] _offsets = new int[1024];
    private int[] _lengths = new int[1024];
    private int[] _slots = new int[2048]; // id + 1; 0 = empty
    private int[] _hashes = new int[1024];

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Intern(ReadOnlySpan<byte> text)
    {
        var hash = Hash(text);
        var mask = _slots.Length - 1;
        var i = hash & mask;
        while (true)
        {
            var slot = _slots[i];
            if (slot == 0) break;
            var id = slot - 1;
            if (_hashes[id] == hash && text.SequenceEqual(_arena.AsSpan(_offsets[id], _lengths[id]))) return id;
            i = (i + 1) & mask;
        }
        return Add(text, hash, i);
    }

    /// <summary>The index of a text given as a string (the portable path).</summary>
    public int Intern(string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        var bytes = max <= buffer.Length ? buffer[..System.Text.Encoding.UTF8.GetBytes(text, buffer)] : System.Text.Encoding.UTF8.GetBytes(text);
        return Intern(bytes);
    }

    private int Add(ReadOnlySpan<byte> text, int hash, int slot)
    {
        var id = Count++;
        if (id == _offsets.Length)
        {
            Array.Resize(ref _offsets, id * 2);
            Array.Resize(ref _lengths, id * 2);
            Array.Resize(ref _hashes, id * 2);
        }
        if (_used + text.Length > _arena.Length) Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _used + text.Length));
        text.CopyTo(_arena.AsSpan(_used));
        (_offsets[id], _lengths[id], _hashes[id]) = (_used, text.Length, hash);
        _used += text.Length;
        _slots[slot] = id + 1;
        if (Count * 2 > _slots.Length) Rehash();
        return id;
    }

    private void Rehash()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var id = 0; id < Count; id++)
        {
            var i = _hashes[id] & mask;
            while (_slots[i] != 0) i = (i + 1) & mask;
            _slots[i] = id + 1;
        }
    }

    /// <summary>FNV-style mix over 8-byte words (the texts are short ids and hex pseudonyms), non-negative.</summary>
    private static int Hash(ReadOnlySpan<byte> text)
    {
        var h = 0xCBF29CE484222325UL ^ (ulong)text.Length;
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(text);
        foreach (var w in words) h = (h ^ w) * 0x100000001B3UL * 0x9E3779B97F4A7C15UL;
        for (var i = words.Length * 8; i < text.Length; i++) h = (h ^ text[i]) * 0x100000001B3UL;
        h ^= h >> 32;
        return (int)(h & 0x7FFFFFFF);
    }
}
