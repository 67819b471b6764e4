using Supervisor.Host.Cli;
using Supervisor.Tests.Fixtures;
using Supervisor.Tests.Host;

namespace Supervisor.Tests.Activities.Locks;

/// <summary>The loader refuses lock activities whose inputs cannot name an app, with the file, the JSON location and the reason.</summary>
public sealed class LockDefinitionTests
{
    [Theory]
    [InlineData("AcquireUpdateLocks", """{ "appId": "$.input.appId", "serviceName": "$.input.serviceName" }""", """, "next": { "Acquired": null, "Locked": null }""")]
    [InlineData("ReleaseUpdateLocks", """{ "appId": "$.input.appId" }""", "")]
    public async Task A_lock_activity_without_the_apps_uuid_is_refused(string type, string inputs, string next)
    {
        await using var host = new SupervisorHostFactory();
        using var client = host.CreateClient();
        var folder = Directory.CreateDirectory(Path.Combine(host.Root, "operator")).FullName;
        var file = Path.Combine(folder, "by-id.json");
        await File.WriteAllTextAsync(file, $$"""{ "id": "by-id", "version": 1, "start": "lock", "activities": { "lock": { "type": "{{type}}", "inputs": {{inputs}}{{next}} } } }""");

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await SupervisorCommandLine.RunAsync(["workflows", "validate", folder], host.Services, output, errors);

        Assert.Equal(1, code);
        Assert.Contains($"{file}: /activities/lock/inputs: required input 'appUuid' of {type} (activity 'lock') is missing", errors.ToString(), StringComparison.Ordinal);
    }
}
