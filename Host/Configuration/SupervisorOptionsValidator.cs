using Microsoft.Extensions.Options;

namespace Supervisor.Host.Configuration;

/// <summary>Checks <see cref="SupervisorOptions"/> against its attributes; source-generated, so no reflection over the options at start.</summary>
[OptionsValidator]
public sealed partial class SupervisorOptionsValidator : IValidateOptions<SupervisorOptions>;
