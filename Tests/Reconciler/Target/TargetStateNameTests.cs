using Supervisor.Reconciler.Target;
using static Supervisor.Tests.Reconciler.Target.TargetStateDocuments;

namespace Supervisor.Tests.Reconciler.Target;

/// <summary>Names that become folders and Docker objects are refused when the target is read, each at its JSON path.</summary>
public class TargetStateNameTests
{
    private const string Traversing = "aaaaaaaaaaaa/../../outside/app-X";

    private static string Document(string app = App, string commit = Commit, string service = "main", string volume = "data", string network = "backend") => $$"""
        { "{{Device}}": { "name": "d", "config": {}, "apps": { "{{app}}": { "id": 1, "name": "a", "class": "fleet",
            "releases": { "{{commit}}": { "id": 2,
              "services": { "{{service}}": { "id": 3, "image_id": 4, "image": "{{Image}}", "environment": {}, "labels": {} } },
              "volumes": { "{{volume}}": {} }, "networks": { "{{network}}": null } } } } } } }
        """;

    [Fact]
    public void The_document_with_valid_names_is_accepted() =>
        Assert.NotNull(TargetStateParser.Parse(Document()).State);

    public static TheoryData<string, string, string> Refusals => new()
    {
        { Document(app: Traversing), $"$.{Device}.apps['{Traversing}']", "invalid app uuid: " },
        { Document(commit: "../c"), $"$.{Device}.apps.{App}.releases['../c']", "invalid commit: " },
        { Document(service: "../../escaped"), $"{ReleasePath}.services['../../escaped']", "invalid service name: " },
        { Document(service: ".hidden"), $"{ReleasePath}.services['.hidden']", "invalid service name: " },
        { Document(volume: "../v"), $"{ReleasePath}.volumes['../v']", "invalid volume name: " },
        { Document(network: "net/work"), $"{ReleasePath}.networks['net/work']", "invalid network name: " },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_name_outside_the_grammar_refuses_the_document_at_its_path(string json, string path, string message)
    {
        var parsed = TargetStateParser.Parse(json);

        Assert.Null(parsed.State);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(NameGrammar.Rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_name_is_reported_together()
    {
        var parsed = TargetStateParser.Parse(Document(service: "a/b", volume: "..", network: "."));

        Assert.Equal(
            [$"{ReleasePath}.volumes['..']", $"{ReleasePath}.networks['.']", $"{ReleasePath}.services['a/b']"],
            parsed.Errors.Select(e => e.Path));
    }
}
