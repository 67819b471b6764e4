using Supervisor.Activities.Engine;
using Supervisor.Activities.Services;

namespace Supervisor.Tests.Activities.Services;

/// <summary>Which volumes count as an app's, so that cleanup never touches a user's own volume.</summary>
public sealed class RemoveOrphanedVolumeOwnerTests
{
    private const string BalenaUuid = "d149c5d1551b4286a930d57284a02511";
    private static readonly HashSet<string> Known = ["app-1", "app-1_x"];

    private static EngineVolume Volume(string name, string? label = null) =>
        new(name, label is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ServiceLabels.AppUuid] = label });

    [Theory]
    [InlineData("app-1_data", "app-1")]
    [InlineData("app-1_x_data", "app-1_x")]
    [InlineData(BalenaUuid + "_data", BalenaUuid)]
    [InlineData("app-1_", null)]
    [InlineData("app-2_data", null)]
    [InlineData("data", null)]
    [InlineData("D149C5D1551B4286A930D57284A02511_data", null)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", null)]
    public void A_volume_is_an_apps_by_its_name(string name, string? owner) =>
        Assert.Equal(owner, RemoveOrphanedVolumes.Owner(Volume(name), Known));

    [Fact]
    public void The_supervisors_app_label_names_the_owner_whatever_the_volume_is_called() =>
        Assert.Equal("app-9", RemoveOrphanedVolumes.Owner(Volume("anything", label: "app-9"), Known));
}
