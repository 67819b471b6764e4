using Microsoft.Extensions.Options;

namespace Supervisor.Activities.Images;

/// <summary>Checks <see cref="ImageOptions"/> against its attributes; source-generated, so no reflection over the options at start.</summary>
[OptionsValidator]
public sealed partial class ImageOptionsValidator : IValidateOptions<ImageOptions>;
