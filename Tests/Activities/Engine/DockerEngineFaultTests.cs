using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Activities.Engine;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Supervisor.Tests.Activities.Engine;

/// <summary>
/// Engine answers a real dockerd cannot be made to give on demand, from WireMock.Net standing in
/// for the engine, each mapped to the exception the rest of the supervisor acts on.
/// </summary>
public sealed class DockerEngineFaultTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly DockerEngine _engine;

    public DockerEngineFaultTests()
    {
        // Generous, so that a loaded machine never turns an error answer into a timeout.
        _engine = Engine(TimeSpan.FromSeconds(10));
    }

    private DockerEngine Engine(TimeSpan requestTimeout) =>
        new(new DockerEngineOptions { DockerHost = _server.Url, EngineRequestTimeout = requestTimeout }, null, NullLogger<DockerEngine>.Instance);

    public void Dispose()
    {
        _engine.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private void Answer(string pathPattern, int status, string body, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (delay is { } wait)
        {
            response = response.WithDelay(wait);
        }

        _server.Given(Request.Create().WithPath(new WildcardMatcher(pathPattern))).RespondWith(response);
    }

    [Fact]
    public async Task An_internal_server_error_carries_the_engines_message_and_status()
    {
        Answer("*/images/app:v1/json", 500, """{"message":"error reading image config: disk I/O error"}""");

        var error = await Assert.ThrowsAsync<EngineErrorException>(() => _engine.InspectImageAsync("app:v1"));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("disk I/O error", error.Message, StringComparison.Ordinal);
        Assert.Contains("inspect image \"app:v1\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_not_found_answer_is_not_found()
    {
        Answer("*/images/app:v1", 404, """{"message":"No such image: app:v1"}""");

        var error = await Assert.ThrowsAsync<EngineNotFoundException>(() => _engine.RemoveImageTagAsync("app:v1"));

        Assert.Contains("No such image: app:v1", error.Message, StringComparison.Ordinal);
        Assert.Equal("remove image tag \"app:v1\"", error.Operation);
    }

    [Fact]
    public async Task A_conflict_answer_is_a_conflict()
    {
        Answer("*/images/app:v1", 409, """{"message":"conflict: unable to remove repository reference \"app:v1\" (must force) - container 1a2b is using its referenced image"}""");

        var error = await Assert.ThrowsAsync<EngineConflictException>(() => _engine.RemoveImageTagAsync("app:v1"));

        Assert.Contains("container 1a2b is using its referenced image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_body_that_is_not_json_is_shown_as_it_came()
    {
        Answer("*/containers/abc/start", 500, "engine exploded");

        var error = await Assert.ThrowsAsync<EngineErrorException>(() => _engine.StartContainerAsync("abc"));

        Assert.Contains("engine exploded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_body_is_a_protocol_error()
    {
        Answer("*/images/app:v1/json", 200, """{"Id": "sha256:abc", "RepoTags": [""");

        var error = await Assert.ThrowsAsync<EngineProtocolException>(() => _engine.InspectImageAsync("app:v1"));

        Assert.Contains("not valid Docker API JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains(_server.Url!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_body_is_a_protocol_error()
    {
        Answer("*/containers/abc/json", 200, string.Empty);

        var error = await Assert.ThrowsAsync<EngineProtocolException>(() => _engine.InspectContainerAsync("abc"));

        Assert.Contains("inspect container \"abc\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_list_body_is_a_protocol_error()
    {
        Answer("*/images/json", 200, string.Empty);

        await Assert.ThrowsAsync<EngineProtocolException>(() => _engine.ListImagesAsync());
    }

    [Fact]
    public async Task An_answer_that_never_comes_ends_at_the_request_timeout_as_unreachable()
    {
        using var silent = new Fixtures.SilentServer();
        var options = new DockerEngineOptions { DockerHost = silent.Url, EngineRequestTimeout = TimeSpan.FromMilliseconds(500) };
        using var engine = new DockerEngine(options, null, NullLogger<DockerEngine>.Instance);

        var error = await Assert.ThrowsAsync<EngineUnreachableException>(() => engine.ListImagesAsync());

        Assert.Contains("did not answer within 0.5 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supervisor:EngineRequestTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_own_cancellation_is_not_mistaken_for_a_timeout()
    {
        using var silent = new Fixtures.SilentServer();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var options = new DockerEngineOptions { DockerHost = silent.Url, EngineRequestTimeout = TimeSpan.FromMinutes(1) };
        using var engine = new DockerEngine(options, null, NullLogger<DockerEngine>.Instance);

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.ListImagesAsync(cancellationToken: cancel.Token));

        Assert.IsNotAssignableFrom<EngineException>(error);
    }

    [Fact]
    public async Task An_error_inside_a_successful_pull_stream_fails_the_pull_with_the_registrys_words()
    {
        Answer("*/images/create", 200, """
            {"status":"Pulling from app","id":"v1"}
            {"errorDetail":{"message":"manifest for registry.local/app:v1 not found: manifest unknown"},"error":"manifest for registry.local/app:v1 not found: manifest unknown"}

            """);

        var error = await Assert.ThrowsAsync<ImagePullFailedException>(() => _engine.PullImageAsync("registry.local/app:v1"));

        Assert.Equal("registry.local/app:v1", error.Image);
        Assert.Equal("manifest for registry.local/app:v1 not found: manifest unknown", error.RegistryMessage);
    }

    [Fact]
    public async Task A_pull_the_engine_refuses_up_front_is_a_failed_pull()
    {
        Answer("*/images/create", 500, """{"message":"Get \"https://registry.local/v2/\": dial tcp: connection refused"}""");

        var error = await Assert.ThrowsAsync<ImagePullFailedException>(() => _engine.PullImageAsync("registry.local/app:v1"));

        Assert.Contains("connection refused", error.RegistryMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pull_is_not_cut_off_by_the_request_timeout()
    {
        Answer("*/images/create", 200, """
            {"status":"Downloading","id":"layer1","progressDetail":{"current":50,"total":100}}
            {"status":"Pull complete","id":"layer1"}

            """, delay: TimeSpan.FromSeconds(1.5));
        var reports = new List<PullProgress>();
        using var impatient = Engine(TimeSpan.FromMilliseconds(500));

        await impatient.PullImageAsync("registry.local/app:v1", new Fixtures.SynchronousProgress<PullProgress>(reports.Add));

        Assert.Equal([50, 100], reports.Select(r => r.Percent));
    }

    [Fact]
    public async Task Stop_waits_for_the_grace_period_beyond_the_request_timeout()
    {
        _server.Given(Request.Create().WithPath(new WildcardMatcher("*/containers/abc/stop")).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(204).WithDelay(TimeSpan.FromSeconds(1)));

        using var impatient = Engine(TimeSpan.FromMilliseconds(500));
        await impatient.StopContainerAsync("abc", TimeSpan.FromSeconds(2));

        var request = Assert.Single(_server.LogEntries);
        Assert.Contains("t=2", request.RequestMessage.Url, StringComparison.Ordinal);
    }
}
