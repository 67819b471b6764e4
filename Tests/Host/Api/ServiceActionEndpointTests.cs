using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Reconciler.Current;

namespace Supervisor.Tests.Host.Api;

/// <summary>
/// <c>POST /v2/applications/:appId/restart-service|stop-service|start-service</c> against the real
/// engine, with real lock files: app services <c>main</c> and <c>other</c> run, <c>idle</c> is in
/// the target but has no container.
/// </summary>
public sealed class ServiceActionEndpointTests : IAsyncLifetime
{
    private ActionDevice _device = null!;

    public async Task InitializeAsync() =>
        _device = await ActionDevice.StartAsync("svc-actions", ["main", "other", "idle"], ["main", "other"]);

    public async Task DisposeAsync() => await _device.DisposeAsync();

    private Task<HttpResponseMessage> ActAsync(string action, object body) =>
        _device.PostAsync($"/v2/applications/{_device.AppId}/{action}", body);

    private static async Task AssertAnswerAsync(HttpResponseMessage response, HttpStatusCode expected, string? messagePart = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal("OK", text);
            return;
        }

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal("failed", body.GetProperty("status").GetString());
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Restart_service_recreates_that_service_only_as_balena_does_and_answers_OK()
    {
        var main = await _device.ContainerAsync("main");
        var other = await _device.ContainerAsync("other");

        using var response = await ActAsync("restart-service", new { serviceName = "main" });

        await AssertAnswerAsync(response, HttpStatusCode.OK);
        var after = await _device.ContainerAsync("main");
        Assert.NotEqual(main.Id, after.Id);
        Assert.True(after.Running);
        Assert.True(after.StartedAt > main.StartedAt);
        Assert.Equal(other, await _device.ContainerAsync("other"));
        Assert.False(File.Exists(_device.LockFile("main")), "the supervisor gave its lock back");
    }

    [Theory]
    [InlineData("restart-service")]
    [InlineData("stop-service")]
    public async Task Under_a_users_lock_the_action_answers_423_and_the_container_is_untouched(string action)
    {
        var before = await _device.ContainerAsync("main");
        _device.UserLock("main");

        using var response = await ActAsync(action, new { serviceName = "main" });

        await AssertAnswerAsync(response, HttpStatusCode.Locked, "service main");
        Assert.Equal(before, await _device.ContainerAsync("main"));
        Assert.True(File.Exists(_device.LockFile("main")));
        Assert.DoesNotContain((_device.AppUuid, "main"), _device.Host.Services.GetRequiredService<ApiStoppedServices>().Snapshot());
    }

    [Theory]
    [InlineData("restart-service")]
    [InlineData("stop-service")]
    public async Task A_users_lock_in_another_service_of_the_app_answers_423_as_balenas_app_wide_lock(string action)
    {
        var before = await _device.ContainerAsync("main");
        _device.UserLock("other");

        using var response = await ActAsync(action, new { serviceName = "main" });

        await AssertAnswerAsync(response, HttpStatusCode.Locked, "service other");
        Assert.Equal(before, await _device.ContainerAsync("main"));
        Assert.True(File.Exists(_device.LockFile("other")));
    }

    [Theory]
    [InlineData("restart-service", true)]
    [InlineData("stop-service", false)]
    public async Task With_force_the_action_succeeds_and_removes_the_users_lock_of_that_service_only(string action, bool runningAfter)
    {
        var before = await _device.ContainerAsync("main");
        _device.UserLock("main");
        _device.UserLock("other");

        using var response = await ActAsync(action, new { serviceName = "main", force = true });

        await AssertAnswerAsync(response, HttpStatusCode.OK);
        var after = await _device.ContainerAsync("main");
        Assert.Equal(runningAfter, after.Running);
        Assert.True(after.StartedAt > before.StartedAt || !runningAfter);
        Assert.False(File.Exists(_device.LockFile("main")));
        Assert.True(File.Exists(_device.LockFile("other")));
    }

    [Fact]
    public async Task Start_service_takes_no_lock_and_answers_200_under_a_users_lock()
    {
        var id = (await _device.ContainerAsync("main")).Id;
        await _device.Images.Client.Containers.StopContainerAsync(id, new Docker.DotNet.Models.ContainerStopParameters { WaitBeforeKillSeconds = 1 });
        _device.UserLock("main");

        using var response = await ActAsync("start-service", new { serviceName = "main" });

        await AssertAnswerAsync(response, HttpStatusCode.OK);
        Assert.True((await _device.ContainerAsync("main")).Running);
        Assert.True(File.Exists(_device.LockFile("main")));
    }

    [Fact]
    public async Task Stop_service_marks_the_service_stopped_through_the_API_and_start_by_image_id_unmarks_it()
    {
        var stopped = _device.Host.Services.GetRequiredService<ApiStoppedServices>();

        using (var response = await ActAsync("stop-service", new { serviceName = "main" }))
        {
            await AssertAnswerAsync(response, HttpStatusCode.OK);
        }

        Assert.False((await _device.ContainerAsync("main")).Running);
        Assert.Contains((_device.AppUuid, "main"), stopped.Snapshot());

        // main is the first service of the release: image_id 1000.
        using (var response = await ActAsync("start-service", new { imageId = 1000 }))
        {
            await AssertAnswerAsync(response, HttpStatusCode.OK);
        }

        Assert.True((await _device.ContainerAsync("main")).Running);
        Assert.DoesNotContain((_device.AppUuid, "main"), stopped.Snapshot());
    }

    [Theory]
    [InlineData("restart-service")]
    [InlineData("stop-service")]
    [InlineData("start-service")]
    public async Task Each_answers_400_404_and_401_naming_what_is_wrong(string action)
    {
        using (var neither = await ActAsync(action, new { force = true }))
        {
            await AssertAnswerAsync(neither, HttpStatusCode.BadRequest, "serviceName or imageId");
        }

        using (var badId = await _device.PostAsync($"/v2/applications/abc/{action}", new { serviceName = "main" }))
        {
            await AssertAnswerAsync(badId, HttpStatusCode.BadRequest, "Invalid app id");
        }

        using (var noApp = await _device.PostAsync($"/v2/applications/1/{action}", new { serviceName = "main" }))
        {
            await AssertAnswerAsync(noApp, HttpStatusCode.NotFound, "App 1 is not in the target state");
        }

        using (var noService = await ActAsync(action, new { serviceName = "nope" }))
        {
            await AssertAnswerAsync(noService, HttpStatusCode.NotFound, "Service \"nope\" does not exist");
        }

        using (var noImage = await ActAsync(action, new { imageId = 999_999 }))
        {
            await AssertAnswerAsync(noImage, HttpStatusCode.NotFound, "image id 999999");
        }

        // In the target, but without a container: there is nothing to act on.
        using (var noContainer = await ActAsync(action, new { serviceName = "idle" }))
        {
            await AssertAnswerAsync(noContainer, HttpStatusCode.NotFound, "idle");
        }

        using var anonymous = _device.Host.CreateClient();
        using var unauthorised = await anonymous.PostAsync(new Uri($"/v2/applications/{_device.AppId}/{action}", UriKind.Relative), JsonContent.Create(new { serviceName = "main" }));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);
        Assert.True((await _device.ContainerAsync("main")).Running);
    }

    [Fact]
    public async Task An_operator_who_adds_a_Delay_to_the_definition_changes_what_the_endpoint_does()
    {
        var file = Path.Combine(_device.Host.WorkflowsDir, "restart-service.json");
        var edited = (await File.ReadAllTextAsync(file))
            .Replace("\"version\": 3", "\"version\": 4", StringComparison.Ordinal)
            .Replace("\"next\": {\"Done\": \"release\"}", "\"next\": {\"Done\": \"settle\"}", StringComparison.Ordinal)
            .Replace("\"release\": {", "\"settle\": { \"type\": \"Delay\", \"inputs\": {\"duration\": \"00:00:01\"}, \"next\": {\"Done\": \"release\"} },\n    \"release\": {", StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, edited);
        await Fixtures.Eventually.GetAsync(
            () => _device.Client.GetFromJsonAsync<JsonElement>("/v3/workflows/restart-service"),
            w => w.GetProperty("version").GetInt32() == 4,
            TimeSpan.FromSeconds(30),
            "the edited definition being loaded");

        using var response = await ActAsync("restart-service", new { serviceName = "main" });

        await AssertAnswerAsync(response, HttpStatusCode.OK);
        var run = await _device.LatestRunAsync("restart-service");
        Assert.Equal(4, run.GetProperty("workflowVersion").GetInt32());
        Assert.Equal(["lock", "stop", "remove", "create", "start", "settle", "release", "unmark"], run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("activityId").GetString()));
    }
}
