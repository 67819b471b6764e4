namespace Supervisor.Host.Configuration;

/// <summary>Reads the port out of an address the API listens on (as <c>--urls</c> gives them, or as the server reports the one it bound).</summary>
public static class ListenAddress
{
    /// <summary>The first address's port; null when none is configured or it names none (the default then applies).</summary>
    public static int? Port(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        // Kestrel's wildcards (http://*:80, http://+:80) are not host names a Uri accepts.
        var parsable = first.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        return Uri.TryCreate(parsable, UriKind.Absolute, out var uri) && uri.Port > 0 ? uri.Port : null;
    }
}
