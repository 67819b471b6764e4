namespace Supervisor.Tests.Reconciler.Target;

/// <summary>Target state documents for the parser tests, built around one app, one release and one service.</summary>
internal static class TargetStateDocuments
{
    public const string Device = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    public const string App = "d149c5d1551b4286a930d57284a02511";
    public const string Commit = "217d55237092995e4576367e529ebb03";
    public const string Image =
        "registry2.balena-cloud.com/v2/9e2dd2c8a1c24a5f8e4f0f1d2b3c4d5e"
        + "@sha256:1df4073e5d1dcf0a1f5f6f1b4e8cd6f1c2d7b64f6a0e8f7b0c9d8e7f6a5b4c3d";

    public const string AppPath = $"$.{Device}.apps.{App}";
    public const string ReleasePath = $"{AppPath}.releases.{Commit}";
    public const string ServicePath = $"{ReleasePath}.services.main";
    public const string CompositionPath = $"{ServicePath}.composition";

    /// <summary>The example of BALENA-REFERENCE.md §2.1, with its elided hashes written out.</summary>
    public const string BalenaExample = $$"""
        {
          "{{Device}}": {
            "name": "my-device",
            "config": { "HOST_CONFIG_gpu_mem": "16", "SUPERVISOR_OVERRIDE_LOCK": "false" },
            "apps": {
              "{{App}}": {
                "id": 1011165,
                "name": "myfleet",
                "class": "fleet",
                "releases": {
                  "{{Commit}}": {
                    "id": 557617,
                    "services": {
                      "main": {
                        "id": 29396,
                        "image_id": 959262,
                        "image": "{{Image}}",
                        "environment": { "FOO": "bar" },
                        "labels": { "io.balena.features.supervisor-api": "1" },
                        "running": true,
                        "composition": { "restart": "always", "volumes": ["data:/data"] }
                      }
                    },
                    "volumes": { "data": {} },
                    "networks": {}
                  }
                }
              }
            }
          }
        }
        """;

    /// <summary>A document whose one service is <paramref name="service"/> (an object's text).</summary>
    public static string WithService(string service, string releaseVolumes = "{}", string releaseNetworks = "{}") => WithRelease($$"""
        { "id": 1, "services": { "main": {{service}} }, "volumes": {{releaseVolumes}}, "networks": {{releaseNetworks}} }
        """);

    /// <summary>A document whose one service has the test image and <paramref name="composition"/>.</summary>
    public static string WithComposition(string composition, string releaseVolumes = "{}", string releaseNetworks = "{}") =>
        WithService($$"""{ "image": "{{Image}}", "composition": {{composition}} }""", releaseVolumes, releaseNetworks);

    public static string WithRelease(string release) => WithApp($$"""
        { "id": 1, "name": "myfleet", "releases": { "{{Commit}}": {{release}} } }
        """);

    public static string WithApp(string app) => $$"""
        { "{{Device}}": { "name": "my-device", "config": {}, "apps": { "{{App}}": {{app}} } } }
        """;
}
