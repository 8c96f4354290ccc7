namespace Analytics.Host;

public enum HostRole
{
    /// <summary>Dashboard, report library, API and a Hangfire server.</summary>
    All,
    /// <summary>Dashboard, report library and API; jobs run elsewhere.</summary>
    Web,
    /// <summary>Only a Hangfire server (and /health); started with <c>--worker</c>.</summary>
    Worker,
}

/// <summary>The <c>Host</c> section.</summary>
public sealed class HostSettings
{
    public const string Section = "Host";

    public HostRole Role { get; set; } = HostRole.All;

    /// <summary>Apply EF migrations at start. Turn off when several nodes start at once (migrate from one, or with the CLI).</summary>
    public bool MigrateOnStart { get; set; } = true;

    public bool RunsServer => Role != HostRole.Web;

    public bool ServesWeb => Role != HostRole.Worker;
}

/// <summary>The <c>Security</c> section.</summary>
public sealed class SecuritySettings
{
    public const string Section = "Security";

    /// <summary>Accepted in the <c>X-Api-Key</c> header or the <c>analytics-key</c> cookie (set by /login).</summary>
    public string? ApiKey { get; set; }

    public BasicAuthSettings BasicAuth { get; set; } = new();

    /// <summary>Proxies (IP addresses) whose X-Forwarded-For/-Proto are trusted, besides loopback.</summary>
    public List<string> KnownProxies { get; set; } = [];

    public bool HasApiKey => !string.IsNullOrEmpty(ApiKey);

    public bool HasBasicAuth => !string.IsNullOrEmpty(BasicAuth.User) && !string.IsNullOrEmpty(BasicAuth.Password);

    public bool IsConfigured => HasApiKey || HasBasicAuth;
}

public sealed class BasicAuthSettings
{
    public string? User { get; set; }
    public string? Password { get; set; }
}
