using Hangfire.Dashboard;

namespace Supervisor.Host.Security;

/// <summary>
/// Lets into the Hangfire dashboard only requests that carry the device API key. A browser
/// opens it once as <c>/hangfire?apikey=KEY</c>; the key is then kept in an HttpOnly cookie, so
/// that the dashboard's own pages and polling requests are let in too.
/// </summary>
public sealed class DashboardApiKeyFilter(ApiKeyStore keys) : IDashboardAuthorizationFilter
{
    private const string Cookie = "supervisor-dashboard-key";

    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var presented = ApiKeyReader.Read(http.Request);
        if (keys.IsValid(presented))
        {
            http.Response.Cookies.Append(Cookie, presented!, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/hangfire" });
            return true;
        }

        return keys.IsValid(http.Request.Cookies[Cookie]);
    }
}
