using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;

namespace Supervisor.Tests.Activities.Services;

public class ServiceContainerNameTests
{
    [Theory]
    [InlineData("web", "1", "10ca12e1ea5e", 1L, 1L)]
    [InlineData("web", "2", "10ca12e1ea5e", 2L, 7L)]
    [InlineData("main", "d149c5d1551b4286a930d57284a02511", "217d34f1", 959262L, 557617L)]
    [InlineData("main", "d149c5d1551b4286a930d57284a02511", "217d34f1", null, null)]
    [InlineData("web", "1", "10ca12e1ea5e", null, null)]
    public void The_release_is_read_back_from_the_name_it_was_formatted_into(string service, string app, string commit, long? imageId, long? releaseId)
    {
        var name = ServiceContainerName.Format(service, app, commit, imageId, releaseId);

        Assert.Equal(commit, ServiceContainerName.ReleaseOf(Container(name, service, app)));
    }

    private static EngineContainer Container(string name, string service, string app) => new(
        "id", "/" + name, "image", "sha256:1", "running", Running: true,
        new Dictionary<string, string>
        {
            [ServiceLabels.ServiceName] = service,
            [ServiceLabels.AppUuid] = app,
            [ServiceLabels.Commit] = "label-commit",
            [ServiceLabels.Config] = "fingerprint",
        },
        DateTimeOffset.UnixEpoch,
        StartedAt: null);
}
