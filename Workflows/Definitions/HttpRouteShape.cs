using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// What a route template matches, without its parameter names: <c>/workflows/a/{x}</c> and
/// <c>/workflows/a/{y}</c> have the same shape, and two workflows on them would be ambiguous.
/// </summary>
internal static class HttpRouteShape
{
    public static string Of(RoutePattern pattern)
    {
        var shape = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            shape.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        // Routing compares literals ignoring case.
                        shape.Append(literal.Content.ToUpperInvariant());
                        break;
                    case RoutePatternSeparatorPart separator:
                        shape.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        shape.Append('{')
                            .Append(parameter.IsCatchAll ? "*" : string.Empty)
                            .AppendJoin(':', parameter.ParameterPolicies.Select(p => p.Content).Order(StringComparer.Ordinal))
                            .Append(parameter.IsOptional ? "?" : string.Empty)
                            .Append('}');
                        break;
                }
            }
        }

        return shape.ToString();
    }
}
