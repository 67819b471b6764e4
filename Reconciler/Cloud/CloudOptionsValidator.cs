using Microsoft.Extensions.Options;

namespace Supervisor.Reconciler.Cloud;

/// <summary>Checks <see cref="CloudOptions"/> against its attributes; source-generated, so no reflection over the options at start.</summary>
[OptionsValidator]
public sealed partial class CloudOptionsValidator : IValidateOptions<CloudOptions>;
