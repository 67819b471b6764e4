using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Reconciler.Apply;

/// <summary>Target-state documents for the apply tests: one app whose services run <c>sleep</c> from unique test images.</summary>
internal sealed class ReleaseDocuments(TestImageFactory images)
{
    public string AppUuid { get; } = Guid.NewGuid().ToString("N");

    public long AppId { get; } = Random.Shared.NextInt64(1000, 1_000_000);

    /// <summary>A document with one release of the app: each service is (name, image); a null image list means no app at all.</summary>
    public string Release(string commit, params (string Name, TestImage Image)[] services)
    {
        var entries = string.Join(",", services.Select((s, i) => $$"""
            "{{s.Name}}": { "id": {{i + 1}}, "image_id": {{i + 10}}, "image": "{{s.Image.TagName}}@{{s.Image.Digest}}",
              "environment": {}, "labels": { "{{TestLabels.Owner}}": "{{images.Prefix}}" },
              "composition": { "command": ["sleep", "600"], "stop_grace_period": "1s" } }
            """));
        return $$"""
            { "device-1": { "name": "apply-test", "config": {}, "apps": { "{{AppUuid}}": { "id": {{AppId}}, "name": "fleet", "class": "fleet",
              "releases": { "{{commit}}": { "id": 1, "services": { {{entries}} }, "volumes": {}, "networks": {} } } } } } }
            """;
    }
}
