using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Analytics.Ingest;

/// <summary>
/// A 128-bit key for a record id, so the per-id facts of a file (and the stored ids' hashes) are kept in
/// dictionaries without a string per id: a fixed 16 bytes per key instead of the id text, and nothing for the
/// garbage collector to trace. Two different ids share a key with probability about n²/2¹²⁹ (10⁻²⁶ for a
/// million ids); ids are not secret and the only effect of a contrived collision is that both ids' rows are
/// treated as one id (rejected as a conflict, or applied once).
/// </summary>
internal static class IdKey
{
    private const ulong C1 = 0x87C37B91114253D5UL, C2 = 0x4CF5AD432745937FUL;

    public static UInt128 Of(string id)
    {
        // Murmur3-style two-lane mix over the UTF-16 bytes, 8 bytes at a time, then a full avalanche per lane.
        var bytes = MemoryMarshal.AsBytes(id.AsSpan());
        ulong h1 = 0x9E3779B97F4A7C15UL ^ (ulong)bytes.Length, h2 = 0xC2B2AE3D27D4EB4FUL + (ulong)bytes.Length;
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]);
            h1 = BitOperations.RotateLeft((h1 ^ (m * C1)), 27) * 5 + 0x52DCE729;
            h2 = BitOperations.RotateLeft((h2 ^ (BitOperations.RotateLeft(m, 33) * C2)), 31) * 5 + 0x38495AB5;
        }
        if (i < bytes.Length)
        {
            ulong tail = 0;
            for (var k = bytes.Length - 1; k >= i; k--) tail = (tail << 8) | bytes[k];
            h1 ^= BitOperations.RotateLeft(tail * C1, 31) * C2;
            h2 ^= BitOperations.RotateLeft(tail * C2, 33) * C1;
        }
        h1 += h2;
        h2 += h1;
        h1 = Avalanche(h1);
        h2 = Avalanche(h2);
        h1 += h2;
        h2 += h1;
        return new UInt128(h1, h2);
    }

    private static ulong Avalanche(ulong k)
    {
        k ^= k >> 33;
        k *= 0xFF51AFD7ED558CCDUL;
        k ^= k >> 33;
        k *= 0xC4CEB9FE1A85EC53UL;
        k ^= k >> 33;
        return k;
    }
}
