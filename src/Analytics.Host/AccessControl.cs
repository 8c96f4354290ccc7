using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;

namespace Analytics.Host;

/// <summary>
/// Everything but /health and /login needs a local caller (when no credentials are configured) or valid credentials
/// (when they are: then even local callers must present them, so a proxy on the same machine cannot open the door).
/// </summary>
public sealed class AccessControl(SecuritySettings settings)
{
    public const string CookieName = "analytics-key";
    public const string HeaderName = "X-Api-Key";
    private const string AuthorizedItem = "analytics.authorized";
    private const string ApiKeyHeaderItem = "analytics.api-key-header";

    public static bool IsOpenPath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/login");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (IsOpenPath(context.Request.Path) || Authorize(context))
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (settings.HasBasicAuth) context.Response.Headers.WWWAuthenticate = "Basic realm=\"analytics\", charset=\"UTF-8\"";
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(settings.IsConfigured
            ? "Credentials required (X-Api-Key header, /login, or Basic authentication)."
            : "Only local requests are allowed. Configure Security:ApiKey or Security:BasicAuth to allow remote access.");
    }

    public bool Authorize(HttpContext context)
    {
        var ok = settings.IsConfigured ? HasValidCredentials(context) : IsLocal(context);
        context.Items[AuthorizedItem] = ok;
        return ok;
    }

    /// <summary>True when the caller authenticated with the X-Api-Key header, which a browser never adds cross-site.</summary>
    public static bool UsedApiKeyHeader(HttpContext context) => context.Items.TryGetValue(ApiKeyHeaderItem, out var v) && v is true;

    public static bool WasAuthorized(HttpContext context) => context.Items.TryGetValue(AuthorizedItem, out var v) && v is true;

    public static bool IsLocal(HttpContext context)
    {
        // After UseForwardedHeaders: the client's address as told by a trusted proxy.
        var remote = context.Connection.RemoteIpAddress;
        return remote is not null && IPAddress.IsLoopback(remote);
    }

    private bool HasValidCredentials(HttpContext context)
    {
        if (settings.HasApiKey)
        {
            if (context.Request.Headers.TryGetValue(HeaderName, out var header) && Matches(header.ToString(), settings.ApiKey!))
            {
                context.Items[ApiKeyHeaderItem] = true;
                return true;
            }
            if (context.Request.Cookies.TryGetValue(CookieName, out var cookie) && Matches(cookie, settings.ApiKey!)) return true;
        }
        if (settings.HasBasicAuth && context.Request.Headers.Authorization.ToString() is { } auth
            && auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return false;
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) return false;
            // Both compared, always, so timing does not tell which one was wrong.
            var user = Matches(decoded[..colon], settings.BasicAuth.User!);
            var password = Matches(decoded[(colon + 1)..], settings.BasicAuth.Password!);
            return user & password;
        }
        return false;
    }

    public static bool Matches(string given, string expected)
    {
        // Hash both so the comparison time does not depend on the length or content of the secret.
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}

/// <summary>The dashboard trusts the decision of <see cref="AccessControl"/>, which runs before it.</summary>
public sealed class AccessControlDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext() is { } http && AccessControl.WasAuthorized(http);
}
