using System.Text.Json;
using Supervisor.Workflows.Runs;

namespace Supervisor.Tests.Workflows.Runs;

public class RunSubjectTests
{
    [Theory]
    [InlineData("""{ "appUuid": "7001", "serviceName": "main", "image": "repo/app:v1", "commit": "c1" }""", " (app 7001, service main, image repo/app:v1)")]
    [InlineData("""{ "appUuid": "7001", "force": true }""", " (app 7001)")]
    [InlineData("""{ "serviceName": "", "image": 3 }""", "")]
    [InlineData("""{}""", "")]
    [InlineData("""[1, 2]""", "")]
    public void A_runs_log_lines_name_the_app_service_and_image_its_input_names(string input, string expected)
    {
        using var document = JsonDocument.Parse(input);

        Assert.Equal(expected, RunSubject.Of(document.RootElement));
    }
}
