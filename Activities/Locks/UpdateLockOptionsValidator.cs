using Microsoft.Extensions.Options;

namespace Supervisor.Activities.Locks;

/// <summary>Checks <see cref="UpdateLockOptions"/> against its attributes; source-generated, so no reflection over the options at start.</summary>
[OptionsValidator]
public sealed partial class UpdateLockOptionsValidator : IValidateOptions<UpdateLockOptions>;
