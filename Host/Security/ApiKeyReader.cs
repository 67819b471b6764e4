namespace Supervisor.Host.Security;

/// <summary>Finds the key a request carries: <c>?apikey=KEY</c>, or <c>Authorization: Bearer KEY</c> / <c>ApiKey KEY</c>.</summary>
public static class ApiKeyReader
{
    public static string? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query.TryGetValue("apikey", out var query) && !string.IsNullOrEmpty(query))
        {
            return query.ToString();
        }

        var header = request.Headers.Authorization.ToString();
        foreach (var scheme in (string[])["Bearer ", "ApiKey "])
        {
            if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return header[scheme.Length..].Trim();
            }
        }

        return null;
    }
}
