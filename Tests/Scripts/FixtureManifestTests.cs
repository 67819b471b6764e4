using System.Net.Http.Headers;
using System.Text.Json;
using Supervisor.Activities.Images;
using Supervisor.Tests.Fixtures;

namespace Supervisor.Tests.Scripts;

/// <summary>
/// The fixture images that <c>scripts/engine.sh up</c> pushes and lists in its manifest are in the
/// registry as the manifest says, including the two names that share one image id.
/// </summary>
public sealed class FixtureManifestTests
{
    private static readonly string[] Keys = ["app-v1", "app-v2", "shared-a", "shared-b", "large"];

    private static JsonElement Images()
    {
        var environment = EngineEnvironment.FromEnvironment();
        Assert.False(string.IsNullOrEmpty(environment.FixturesManifest), "SUPERVISOR_TEST_FIXTURES is not set");
        using var manifest = JsonDocument.Parse(File.ReadAllText(environment.FixturesManifest!));
        Assert.Equal(environment.Registry, manifest.RootElement.GetProperty("registry").GetString());
        return manifest.RootElement.GetProperty("images").Clone();
    }

    [Fact]
    public async Task Every_fixture_is_in_the_registry_under_the_digest_the_manifest_names()
    {
        var images = Images();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));

        foreach (var key in Keys)
        {
            var entry = images.GetProperty(key);
            var reference = ImageReference.Parse(entry.GetProperty("reference").GetString()!);
            Assert.Equal(entry.GetProperty("repository").GetString(), reference.Repository);
            Assert.Equal(entry.GetProperty("tag").GetString(), reference.Tag);
            Assert.Equal(entry.GetProperty("digest").GetString(), reference.Digest);

            using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{reference.Registry}/v2/{reference.Path}/manifests/{reference.Tag}");
            using var response = await http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{key}: the registry answered {(int)response.StatusCode} for {reference.TagName}");
            Assert.Equal(reference.Digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        }
    }

    [Fact]
    public void The_fixtures_cover_two_versions_of_one_repository_and_two_names_of_one_image()
    {
        var images = Images();
        string Field(string key, string name) => images.GetProperty(key).GetProperty(name).GetString()!;

        Assert.Equal(Field("app-v1", "repository"), Field("app-v2", "repository"));
        Assert.NotEqual(Field("app-v1", "digest"), Field("app-v2", "digest"));
        Assert.NotEqual(Field("app-v1", "imageId"), Field("app-v2", "imageId"));

        Assert.NotEqual(Field("shared-a", "repository"), Field("shared-b", "repository"));
        Assert.Equal(Field("shared-a", "imageId"), Field("shared-b", "imageId"));
    }
}
