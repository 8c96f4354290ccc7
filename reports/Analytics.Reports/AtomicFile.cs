namespace Analytics.Reports;

/// <summary>
/// Writes a file through a temporary file in the same folder and moves it into place, so a
/// reader never sees a half-written file and a crash leaves the previous version intact.
/// </summary>
public static class AtomicFile
{
    /// <summary>Prefix of the temporary files (hidden on Unix; never matches <c>*.xlsx</c> or <c>*.csv</c>).</summary>
    public const string TempPrefix = ".tmp-";

    public static async Task WriteAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $"{TempPrefix}{Guid.NewGuid():N}-{Path.GetFileName(full)}.part");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $"{TempPrefix}{Guid.NewGuid():N}-{Path.GetFileName(full)}.part");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
