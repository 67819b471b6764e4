using System.Text.Json;

namespace Supervisor.Workflows.Definitions;

/// <summary>A JSON value given as it is.</summary>
public sealed record LiteralInput(JsonElement Value) : InputValue;
