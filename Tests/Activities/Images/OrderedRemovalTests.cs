using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Activities.Images;
using Supervisor.Tests.Fixtures;
using Supervisor.Tests.Host;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Supervisor.Tests.Activities.Images;

/// <summary>
/// The <c>remove-image</c> workflow against WireMock standing in for the engine, which records
/// every request: the removals come one at a time in a stable order, a name already gone is
/// passed over, and any other error stops the removal with the record kept.
/// </summary>
public sealed class OrderedRemovalTests : IAsyncLifetime
{
    private const string Repository = "registry.local:5000/fleet/app";
    private static readonly string Digest = "sha256:" + new string('a', 64);
    private static readonly string Tag = $"{Repository}:v1";
    private static readonly string DigestName = $"{Repository}@{Digest}";

    private readonly WireMockServer _engine = WireMockServer.Start();
    private SupervisorHostFactory _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _engine.Given(Request.Create().WithPath(p => p.EndsWith("/images/json", StringComparison.Ordinal)).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(
                JsonSerializer.Serialize(new[] { new { Id = "sha256:" + new string('b', 64), RepoTags = new[] { Tag }, RepoDigests = new[] { DigestName }, Size = 1234, Created = 1_700_000_000 } })));
        _host = new SupervisorHostFactory(
            new Dictionary<string, string?> { ["Supervisor:DockerHost"] = _engine.Url },
            SupervisorHostFactory.Shipped("remove-image"));
        _client = _host.CreateAuthorizedClient();
        await _host.Services.GetRequiredService<ImageStore>().RecordAsync(
            new ImageRecord(0, $"{Tag}@{Digest}", "app1", "main", "c1", "sha256:" + new string('b', 64), default));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        _engine.Stop();
        _engine.Dispose();
    }

    private void AnswerDelete(string name, int status, string body, TimeSpan delay) =>
        _engine.Given(Request.Create().UsingDelete().WithPath(p => Uri.UnescapeDataString(p).EndsWith("/images/" + name, StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body).WithDelay(delay));

    private List<(string Name, DateTime At)> Deletes() => _engine.LogEntries
        .Where(e => e.RequestMessage.Method == "DELETE")
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => (ImageName(e.RequestMessage.AbsolutePath), e.RequestMessage.DateTime))
        .ToList();

    private static string ImageName(string path)
    {
        var unescaped = Uri.UnescapeDataString(path);
        return unescaped[(unescaped.IndexOf("/images/", StringComparison.Ordinal) + "/images/".Length)..];
    }

    private async Task<JsonElement> RemoveAsync()
    {
        using var response = await _client.PostAsJsonAsync("/v3/workflows/remove-image/runs?wait=30",
            new { image = $"{Tag}@{Digest}", appUuid = "app1", serviceName = "main", commit = "c1" });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Names_are_removed_one_at_a_time_tag_then_digest_and_then_the_record()
    {
        AnswerDelete(Tag, 200, $$"""[{"Untagged":"{{Tag}}"}]""", TimeSpan.FromMilliseconds(150));
        AnswerDelete(DigestName, 200, $$"""[{"Untagged":"{{DigestName}}"}]""", TimeSpan.FromMilliseconds(150));

        var run = await RemoveAsync();

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        var deletes = Deletes();
        Assert.Equal([Tag, DigestName], deletes.Select(d => d.Name));
        Assert.True(deletes[1].At - deletes[0].At >= TimeSpan.FromMilliseconds(140), "the second removal started before the first one was answered");
        Assert.Empty(await _host.Services.GetRequiredService<ImageStore>().ListAsync());
    }

    [Fact]
    public async Task A_name_already_gone_is_passed_over_and_the_removal_goes_on()
    {
        AnswerDelete(Tag, 404, $$"""{"message":"No such image: {{Tag}}"}""", TimeSpan.FromMilliseconds(1));
        AnswerDelete(DigestName, 200, $$"""[{"Untagged":"{{DigestName}}"}]""", TimeSpan.FromMilliseconds(1));

        var run = await RemoveAsync();

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.Equal([Tag, DigestName], Deletes().Select(d => d.Name));
        var output = run.GetProperty("steps")[0].GetProperty("output");
        Assert.Equal([Tag], output.GetProperty("alreadyGone").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([DigestName], output.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(await _host.Services.GetRequiredService<ImageStore>().ListAsync());
    }

    [Fact]
    public async Task An_engine_error_stops_the_removal_and_keeps_the_record()
    {
        AnswerDelete(Tag, 500, """{"message":"driver failed removing layer: device busy"}""", TimeSpan.FromMilliseconds(1));
        AnswerDelete(DigestName, 200, "[]", TimeSpan.FromMilliseconds(1));

        var run = await RemoveAsync();

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("RemoveFailed", run.GetProperty("reason").GetString());
        Assert.Contains("device busy", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal([Tag], Deletes().Select(d => d.Name));
        Assert.Single(await _host.Services.GetRequiredService<ImageStore>().ListAsync());
    }
}
