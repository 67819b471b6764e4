using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Activities.Images;
using Supervisor.Activities.Locks;
using Supervisor.Activities.Services;
using Supervisor.Host;
using Supervisor.Host.Configuration;
using Supervisor.Reconciler.Apply;
using Supervisor.Reconciler.Cloud;

namespace Supervisor.Tests.Activities.Configuration;

/// <summary>The source-generated validators of every options class: defaults pass, a bad value is named with its key, value and rule.</summary>
public sealed class SettingValidationTests
{
    public static TheoryData<string> Classes => [.. Defaults().Keys];

    /// <summary>Each options class at its defaults, validated by its own validator.</summary>
    private static Dictionary<string, Func<ValidateOptionsResult>> Defaults() => new()
    {
        [nameof(ReconcilerOptions)] = () => new ReconcilerOptionsValidator().Validate(null, new ReconcilerOptions()),
        [nameof(CloudOptions)] = () => new CloudOptionsValidator().Validate(null, new CloudOptions()),
        [nameof(ImageOptions)] = () => new ImageOptionsValidator().Validate(null, new ImageOptions()),
        [nameof(UpdateLockOptions)] = () => new UpdateLockOptionsValidator().Validate(null, new UpdateLockOptions()),
        [nameof(ServiceOptions)] = () => new ServiceOptionsValidator().Validate(null, new ServiceOptions()),
        [nameof(DockerEngineOptions)] = () => new DockerEngineOptionsValidator().Validate(null, new DockerEngineOptions()),
        [nameof(SupervisorOptions)] = () => new SupervisorOptionsValidator().Validate(null, new SupervisorOptions()),
        [nameof(DatabaseOptions)] = () => new DatabaseOptionsValidator().Validate(null, new DatabaseOptions()),
        [nameof(JobOptions)] = () => new JobOptionsValidator().Validate(null, new JobOptions()),
    };

    [Theory]
    [MemberData(nameof(Classes))]
    public void The_documented_defaults_pass(string options)
    {
        var result = Defaults()[options]();

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void An_interval_of_zero_is_refused_naming_the_key_the_value_and_the_range()
    {
        var result = new ReconcilerOptionsValidator().Validate(null, new ReconcilerOptions { Interval = TimeSpan.Zero });

        Assert.True(result.Failed);
        Assert.Equal(["Supervisor:Reconciler:Interval is 00:00:00, but it must be from 00:00:01 to 30.00:00:00"], result.Failures);
    }

    [Fact]
    public void A_journal_flush_that_names_no_setting_is_refused_naming_the_key_and_the_names()
    {
        var result = new SupervisorOptionsValidator().Validate(null, new SupervisorOptions { JournalFlush = (Supervisor.Workflows.Runs.JournalFlush)7 });

        Assert.True(result.Failed);
        Assert.Equal(["Supervisor:JournalFlush is 7, but it must be one of EveryActivity, RunStartAndEnd"], result.Failures);
    }

    [Fact]
    public void Both_ends_of_a_range_are_allowed_and_a_tick_beyond_them_is_not()
    {
        var validator = new ReconcilerOptionsValidator();

        Assert.True(validator.Validate(null, new ReconcilerOptions { Interval = TimeSpan.FromSeconds(1) }).Succeeded);
        Assert.True(validator.Validate(null, new ReconcilerOptions { Interval = TimeSpan.FromDays(30) }).Succeeded);
        Assert.True(validator.Validate(null, new ReconcilerOptions { Interval = TimeSpan.FromDays(30) + TimeSpan.FromTicks(1) }).Failed);
        Assert.True(validator.Validate(null, new ReconcilerOptions { Interval = TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1) }).Failed);
    }

    [Fact]
    public void Every_bad_value_of_a_class_is_reported_at_once()
    {
        var result = new JobOptionsValidator().Validate(null, new JobOptions { DefaultWorkers = 0, FetchWorkers = 65, QueuePollInterval = TimeSpan.FromSeconds(-1) });

        Assert.Equal(
            [
                "Supervisor:Jobs:DefaultWorkers is 0, but it must be from 1 to 64",
                "Supervisor:Jobs:FetchWorkers is 65, but it must be from 1 to 64",
                "Supervisor:Jobs:QueuePollInterval is -00:00:01, but it must be from 00:00:00.0100000 to 00:01:00",
            ],
            result.Failures);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void A_setting_that_must_be_set_is_refused_empty(string? instance)
    {
        var result = new ServiceOptionsValidator().Validate(null, new ServiceOptions { Instance = instance! });

        Assert.Equal(["Supervisor:Instance is empty, but it must be set"], result.Failures);
    }

    [Fact]
    public void A_jitter_of_zero_and_an_app_lock_wait_of_zero_are_allowed()
    {
        Assert.True(new CloudOptionsValidator().Validate(null, new CloudOptions { MaxJitter = TimeSpan.Zero }).Succeeded);
        Assert.True(new UpdateLockOptionsValidator().Validate(null, new UpdateLockOptions { AppLockWait = TimeSpan.Zero }).Succeeded);
    }

    [Fact]
    public void The_host_validates_every_options_class_it_binds_when_it_starts()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddSupervisorCore(configuration);
        services.AddCloudTargetSource(configuration);

        // Bound from configuration: options filled from others (JournalOptions, from
        // Supervisor:JournalFlush) are checked where their values come from.
        var bound = services
            .Where(s => s.ServiceType.IsGenericType && s.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Where(s => s.ImplementationInstance?.GetType() is { IsGenericType: true } i && i.GetGenericTypeDefinition() == typeof(NamedConfigureFromConfigurationOptions<>))
            .Select(s => s.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Namespace?.StartsWith("Supervisor.", StringComparison.Ordinal) == true)
            .Distinct()
            .ToList();
        var validated = services
            .Select(s => s.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IValidateOptions<>))
            .Select(t => t.GetGenericArguments()[0])
            .ToHashSet();

        Assert.Equal(Defaults().Count, bound.Count);
        Assert.All(bound, t => Assert.True(validated.Contains(t), $"{t.Name} is bound but not validated"));
        Assert.Contains(services, s => s.ServiceType == typeof(IStartupValidator));
    }
}
