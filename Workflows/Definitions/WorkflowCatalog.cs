using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Supervisor.Workflows.Activities;

namespace Supervisor.Workflows.Definitions;

/// <summary>
/// The active definitions, loaded from the workflows folder. A change to the folder is loaded
/// again as a whole set: a valid set replaces the active one at once, an invalid one is refused
/// with its errors logged and the active set stays, so operators never run half an edit.
/// </summary>
public sealed partial class WorkflowCatalog(IActivityCatalog activities, TimeProvider time, ILogger<WorkflowCatalog> logger) : IWorkflowCatalog, IDisposable
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(300);

    private readonly ConcurrentDictionary<string, WorkflowDefinition> _pinned = new(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, WorkflowDefinition> _active = new Dictionary<string, WorkflowDefinition>();
    private FileSystemWatcher? _watcher;
    private ITimer? _settle;

    /// <summary>Raised after a reload replaced the active set.</summary>
    public event EventHandler? Changed;

    public string? Directory { get; private set; }

    public IReadOnlyCollection<WorkflowDefinition> All => (IReadOnlyCollection<WorkflowDefinition>)_active.Values;

    public WorkflowDefinition? Find(string workflowId) => _active.GetValueOrDefault(workflowId);

    /// <summary>Loads the folder; throws <see cref="DefinitionValidationException"/> with every error when it is invalid.</summary>
    public void Load(string directory)
    {
        Directory = directory;
        _active = DefinitionLoader.LoadDirectory(directory, activities).Definitions;
        LogLoaded(logger, _active.Count, directory);
    }

    /// <summary>Loads the folder again; false (and the active set kept) when it is invalid.</summary>
    public bool Reload()
    {
        var directory = Directory ?? throw new InvalidOperationException("Load the catalog before reloading it.");
        try
        {
            _active = DefinitionLoader.LoadDirectory(directory, activities).Definitions;
        }
        catch (DefinitionValidationException ex)
        {
            LogRefused(logger, directory, ex.Message);
            return false;
        }

        LogLoaded(logger, _active.Count, directory);
        Changed?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <summary>
    /// Reloads whenever a definition file changes, once the folder has been quiet for a moment
    /// (editors write in steps). Files that are no definitions (<see cref="DefinitionFiles"/>)
    /// are not watched for, and nothing the folder holds can end the process: a reload that
    /// throws, or a watcher that loses track, is logged and the active set stays.
    /// </summary>
    public void Watch()
    {
        var directory = Directory ?? throw new InvalidOperationException("Load the catalog before watching it.");
        _settle = time.CreateTimer(_ => ReloadLogged(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(directory, "*.json")
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler changed = (_, e) => Settle(DefinitionFiles.IsDefinitionName(e.Name));
        _watcher.Changed += changed;
        _watcher.Created += changed;
        _watcher.Deleted += changed;
        // An editor that saves by renaming (x.json to x.json~, then .x.json.tmp to x.json) changes a definition under either name.
        _watcher.Renamed += (_, e) => Settle(DefinitionFiles.IsDefinitionName(e.Name) || DefinitionFiles.IsDefinitionName(e.OldName));
        _watcher.Error += (_, e) =>
        {
            // Events were lost (the kernel's queue overflowed): what changed is unknown, so load it all again.
            LogWatcherError(logger, directory, e.GetException());
            Settle(true);
        };
        _watcher.EnableRaisingEvents = true;
    }

    public WorkflowDefinition Rehydrate(string contentHash, string content)
    {
        var active = _active.Values.FirstOrDefault(d => d.ContentHash == contentHash);
        if (active is not null)
        {
            return active;
        }

        return _pinned.GetOrAdd(contentHash, _ =>
        {
            var result = WorkflowDefinitionParser.Parse($"journal copy {contentHash[..12]}", content, activities);
            return result.Definition ?? throw new DefinitionValidationException(result.Errors);
        });
    }

    private void Settle(bool definitionChanged)
    {
        if (definitionChanged)
        {
            _settle?.Change(SettleTime, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The watcher's reload: it runs on a timer thread, where an exception would end the process.</summary>
    private void ReloadLogged()
    {
        try
        {
            Reload();
        }
#pragma warning disable CA1031 // Whatever the folder holds, the host keeps running on the set it has.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogReloadFailed(logger, Directory, ex);
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _settle?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} workflow definitions from {Directory}")]
    private static partial void LogLoaded(ILogger logger, int count, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not reload the workflow definitions in {Directory}; the previous ones stay active")]
    private static partial void LogReloadFailed(ILogger logger, string? directory, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The watcher of {Directory} lost track of changes; loading the definitions again")]
    private static partial void LogWatcherError(ILogger logger, string directory, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused the changed workflow definitions in {Directory}; the previous ones stay active. {Errors}")]
    private static partial void LogRefused(ILogger logger, string directory, string errors);
}
