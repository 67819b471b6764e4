using System.Collections.Concurrent;
using Microsoft.AspNetCore.Routing.Template;
using Supervisor.Workflows.Definitions;

namespace Supervisor.Host.Api.V3;

/// <summary>Finds the active definition whose <c>trigger.http</c> answers a request, keeping each route's parsed template.</summary>
public sealed class HttpTriggerRouter(IWorkflowCatalog catalog)
{
    private readonly ConcurrentDictionary<string, TemplateMatcher> _matchers = new(StringComparer.Ordinal);

    public (WorkflowDefinition? Definition, RouteValueDictionary? Values) Match(string method, PathString path)
    {
        foreach (var definition in catalog.All)
        {
            if (definition.Trigger?.Http is not { } trigger || !trigger.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var matcher = _matchers.GetOrAdd(trigger.Route, route => new TemplateMatcher(TemplateParser.Parse(route), new RouteValueDictionary()));
            var values = new RouteValueDictionary();
            if (matcher.TryMatch(path, values))
            {
                return (definition, values);
            }
        }

        return (null, null);
    }
}
