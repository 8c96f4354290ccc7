namespace Analytics.Jobs;

/// <summary>Resolves a path below the report folder and refuses anything that leaves it (../, rooted paths, symlinks).</summary>
public static class ReportFolderGuard
{
    public static bool IsUnder(string root, string fullPath)
    {
        var r = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(fullPath).StartsWith(r, StringComparison.Ordinal);
    }

    /// <summary>
    /// The full path of <paramref name="relative"/> below <paramref name="root"/>, or null when it is rooted,
    /// climbs out, or passes through a symbolic link that points outside the root.
    /// </summary>
    public static string? Resolve(string root, string relative)
    {
        if (string.IsNullOrWhiteSpace(relative) || relative.Contains('\0') || Path.IsPathRooted(relative)) return null;
        var segments = relative.Split('/', '\\');
        if (segments.Any(s => s is ".." or "." || s.Length == 0)) return null;

        var realRoot = RealPath(Path.GetFullPath(root));
        if (realRoot is null) return null;
        var full = Path.GetFullPath(Path.Combine(realRoot, Path.Combine(segments)));
        if (!IsUnder(realRoot, full)) return null;

        // Follow every link on the way down; each hop must stay under the root.
        var current = realRoot;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !IsUnder(realRoot, target.FullName)) return null;
                current = target.FullName;
            }
        }
        return IsUnder(realRoot, current) ? current : null;
    }

    private static string? RealPath(string path)
    {
        // The root itself may be reached through a link (e.g. /tmp on some systems): use its final target.
        var info = new DirectoryInfo(path);
        if (!info.Exists) return path;
        var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(true);
        return Path.TrimEndingDirectorySeparator(target?.FullName ?? info.FullName);
    }
}
