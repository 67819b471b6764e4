using Supervisor.Activities.Paths;
using Supervisor.Workflows.Activities;

namespace Supervisor.Tests.Activities.Paths;

public class PathGuardTests
{
    private const string Root = "/var/lib/supervisor/locks";

    [Fact]
    public void Folder_names_are_joined_under_the_root()
    {
        Assert.Equal($"{Root}/1011165/main", PathGuard.Combine(Root, "1011165", "main"));
        Assert.Equal($"{Root}/a..b", PathGuard.Combine(Root, "a..b"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("../outside")]
    [InlineData("aaaaaaaaaaaa/../../outside/app-X")]
    [InlineData("/etc")]
    [InlineData("a\\..\\b")]
    [InlineData("a\0")]
    public void A_name_that_is_not_one_folder_name_is_refused_naming_it_and_the_root(string name)
    {
        var refused = Assert.Throws<RefusedInputException>(() => PathGuard.Combine(Root, "app", name));
        Assert.Contains($"\"{name}\" cannot name a folder under {Root}", refused.Message, StringComparison.Ordinal);
        Assert.False(PathGuard.IsFolderName(name));
    }

    [Fact]
    public void The_first_name_is_checked_as_well_as_the_last() =>
        Assert.Throws<RefusedInputException>(() => PathGuard.Combine(Root, "../../tmp", "main"));
}
