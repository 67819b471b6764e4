namespace Supervisor.Workflows.Storage;

/// <summary>
/// One numbered schema change. Numbers are global across the program (the journal, images,
/// target state) and never reused; a migration, once shipped, is never edited.
/// </summary>
public sealed record DatabaseMigration(int Version, string Name, string Sql);
