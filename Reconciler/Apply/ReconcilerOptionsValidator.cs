using Microsoft.Extensions.Options;

namespace Supervisor.Reconciler.Apply;

/// <summary>Checks <see cref="ReconcilerOptions"/> against its attributes; source-generated, so no reflection over the options at start.</summary>
[OptionsValidator]
public sealed partial class ReconcilerOptionsValidator : IValidateOptions<ReconcilerOptions>;
