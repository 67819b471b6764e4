using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Reconciler.Apply;

/// <summary>Target-state documents for the apply tests: one app whose services run <c>sleep</c> from unique test images.</summary>
internal sealed class ReleaseDocuments(TestImageFactory images)
{
    public string AppUuid { get; } = Guid.NewGuid().ToString("N");

    public long AppId { get; } = Random.Shared.NextInt64(1000, 1_000_000);

    /// <summary>
    /// balena's container names are made of the service name and the image and release ids, so two test classes
    /// sharing the engine must not use the same ids for their "commit1".
    /// </summary>
    public long ReleaseId { get; } = Random.Shared.NextInt64(1000, 1_000_000);

    /// <summary>Each service's <c>environment</c> object, by service name; <c>{}</c> for one not listed.</summary>
    public Dictionary<string, string> Environments { get; } = [];

    /// <summary>More members of each service's <c>composition</c>, by service name, such as <c>"depends_on": ["db"]</c>.</summary>
    public Dictionary<string, string> Compositions { get; } = [];

    /// <summary>The release's <c>volumes</c> object.</summary>
    public string Volumes { get; set; } = "{}";

    /// <summary>A document with no app at all: the device's target drops the app.</summary>
    public static string NoApps() => """{ "device-1": { "name": "apply-test", "config": {}, "apps": {} } }""";

    /// <summary>A document with one release of the app: each service is (name, image); none for a release with no services.</summary>
    public string Release(string commit, params (string Name, TestImage Image)[] services)
    {
        var entries = string.Join(",", services.Select((s, i) => $$"""
            "{{s.Name}}": { "id": {{i + 1}}, "image_id": {{ReleaseId * 100 + i}}, "image": "{{s.Image.TagName}}@{{s.Image.Digest}}",
              "environment": {{Environments.GetValueOrDefault(s.Name, "{}")}}, "labels": { "{{TestLabels.Owner}}": "{{images.Prefix}}" },
              "composition": { "command": ["sleep", "600"], "init": true, "stop_grace_period": "1s"{{(Compositions.TryGetValue(s.Name, out var more) ? ", " + more : "")}} } }
            """));
        return $$"""
            { "device-1": { "name": "apply-test", "config": {}, "apps": { "{{AppUuid}}": { "id": {{AppId}}, "name": "fleet", "class": "fleet",
              "releases": { "{{commit}}": { "id": {{ReleaseId}}, "services": { {{entries}} }, "volumes": {{Volumes}}, "networks": {} } } } } } }
            """;
    }
}
