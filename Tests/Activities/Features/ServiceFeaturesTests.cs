using Supervisor.Activities.Features;

namespace Supervisor.Tests.Activities.Features;

public class ServiceFeaturesTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("on", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("yes", false)]
    public void A_feature_is_on_for_balenas_true_values(string value, bool on)
    {
        Assert.Equal(on, ServiceFeatures.IsOn(new Dictionary<string, string> { [ServiceFeatures.Sysfs] = value }, ServiceFeatures.Sysfs));
    }

    [Fact]
    public void The_legacy_resin_label_counts()
    {
        Assert.True(ServiceFeatures.IsOn(new Dictionary<string, string> { ["io.resin.features.resin-socket"] = "1" }, ServiceFeatures.BalenaSocket));
        Assert.True(ServiceFeatures.IsOn(new Dictionary<string, string> { ["io.resin.features.supervisor-api"] = "1" }, ServiceFeatures.SupervisorApi));
    }

    [Fact]
    public void Unsupported_names_only_features_set_to_true_that_are_not_given()
    {
        var labels = new Dictionary<string, string>
        {
            ["io.balena.features.extra-firmware"] = "1",
            ["io.resin.features.resin-api"] = "true",
            ["io.balena.features.made-up"] = "0",
            [ServiceFeatures.SupervisorApi] = "1",
            ["com.example.other"] = "1",
        };

        Assert.Equal(["io.balena.features.extra-firmware", "io.resin.features.resin-api"], ServiceFeatures.Unsupported(labels));
    }

    [Fact]
    public void Os_release_values_lose_their_quotes()
    {
        var fields = HostOsRelease.Parse("# comment\nPRETTY_NAME=\"balenaOS 5.1.0\"\nID=balena-os\nBOARD_REV='abc'\nbroken line\n");

        Assert.Equal("balenaOS 5.1.0", fields["PRETTY_NAME"]);
        Assert.Equal("balena-os", fields["ID"]);
        Assert.Equal("abc", fields["BOARD_REV"]);
        Assert.Equal(3, fields.Count);
    }

    [Fact]
    public void A_host_without_os_release_gives_no_version()
    {
        var missing = new HostOsRelease(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "os-release"));

        Assert.Null(missing.PrettyName);
        Assert.Null(missing.BoardRevision);
    }
}
