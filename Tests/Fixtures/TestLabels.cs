namespace Supervisor.Tests.Fixtures;

public static class TestLabels
{
    /// <summary>Set on every container a test creates, valued with its factory's prefix, so cleanup finds exactly its own.</summary>
    public const string Owner = "io.supervisor.test.owner";
}
