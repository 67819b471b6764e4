using Microsoft.Extensions.Options;

namespace Supervisor.Activities.Engine;

/// <summary>Checks <see cref="DockerEngineOptions"/> against its attributes; source-generated, so no reflection over the options at start.</summary>
[OptionsValidator]
public sealed partial class DockerEngineOptionsValidator : IValidateOptions<DockerEngineOptions>;
