using Microsoft.Extensions.Options;

namespace Supervisor.Activities.Services;

/// <summary>Checks <see cref="ServiceOptions"/> against its attributes; source-generated, so no reflection over the options at start.</summary>
[OptionsValidator]
public sealed partial class ServiceOptionsValidator : IValidateOptions<ServiceOptions>;
