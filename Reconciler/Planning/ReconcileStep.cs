using System.Text.Json;

namespace Supervisor.Reconciler.Planning;

/// <summary>
/// One workflow run of a <see cref="ReconcilePlan"/>: the workflow's id and exactly the input it takes, so the
/// executor only has to start it.
/// </summary>
/// <param name="Workflow">One of <see cref="ReconcileWorkflows"/>.</param>
/// <param name="Input">The workflow's input object, camelCase; optional members the target leaves unset are absent.</param>
/// <param name="ServiceName">The service the step is about; null only for steps about a whole app.</param>
/// <param name="NeedsLock">
/// The step stops or removes a running container, so it must not run while a user holds the app's update lock.
/// </param>
public sealed record ReconcileStep(string Workflow, JsonElement Input, string AppUuid, string? ServiceName, bool NeedsLock)
{
    /// <summary>Short and readable, for logs and test failures: <c>stop-service main@abc123 [lock]</c>.</summary>
    public override string ToString()
    {
        string commit = Input.ValueKind == JsonValueKind.Object && Input.TryGetProperty("commit", out JsonElement value)
            ? value.GetString() ?? string.Empty
            : string.Empty;
        string subject = ServiceName
            ?? (Input.ValueKind == JsonValueKind.Object && Input.TryGetProperty("name", out JsonElement name) ? name.GetString() : null)
            ?? string.Empty;
        return $"{Workflow} {subject}@{commit}{(NeedsLock ? " [lock]" : string.Empty)}";
    }
}
