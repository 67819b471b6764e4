using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using Supervisor.Activities.Engine;
using Supervisor.Host.Configuration;
using Supervisor.Reconciler.Current;
using Supervisor.Reconciler.Planning;
using Supervisor.Reconciler.Target;
using Supervisor.Workflows.Activities;
using Supervisor.Workflows.Definitions;
using Supervisor.Workflows.Runs;
using Supervisor.Workflows.Storage;

namespace Supervisor.Host.Cli;

/// <summary>
/// The verbs of the <c>supervisor</c> program besides running the service: checking and drawing
/// workflow definitions, and reading the journal. They use the same configuration as the
/// service (so <c>--Supervisor:DataDir=/x</c> works), and exit 0 on success, 1 on a finding, 2 on misuse.
/// </summary>
public static class SupervisorCommandLine
{
    public static readonly IReadOnlySet<string> Verbs = new HashSet<string>(StringComparer.Ordinal) { "workflows", "runs", "plan" };

    private static readonly string[] HelpFlags = ["--help", "-h", "-?"];

    /// <summary>
    /// <c>supervisor --help</c> or <c>--version</c>, or a verb asked for its help: answered from the command tree alone,
    /// before the host is built, so that asking for usage touches no file and no port.
    /// </summary>
    public static bool IsUsageRequest(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Count > 0 && (HelpFlags.Contains(args[0]) || args[0] == "--version" || (Verbs.Contains(args[0]) && args.Any(HelpFlags.Contains)));
    }

    /// <summary>Prints the usage (or version) <see cref="IsUsageRequest"/> asked for; no action runs, so no service is needed.</summary>
    public static Task<int> UsageAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors) =>
        RunAsync(args, new NoServices(), output, errors);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var root = new RootCommand(
            "Supervisor: keeps a device's containers in the state a release describes." + Environment.NewLine +
            "Without a verb it runs the service: supervisor [--Supervisor:Key=value ...] (docs/configuration.md lists every key)." + Environment.NewLine +
            "The verbs take the same --Key=value settings, e.g. --Supervisor:DataDir=/var/lib/supervisor.");
        root.Add(WorkflowsCommand(services, output, errors));
        root.Add(RunsCommand(services, output, errors));
        root.Add(PlanCommand(services, output, errors));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            return 2;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors }).ConfigureAwait(false);
    }

    private static Command WorkflowsCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var directory = new Argument<string?>("directory") { Description = "The definitions folder (default: Supervisor:WorkflowsDir).", Arity = ArgumentArity.ZeroOrOne };
        var validate = new Command("validate", "Check every definition in a folder; print all errors and exit 1 if any.") { directory };
        validate.SetAction(async (result, _) =>
        {
            var folder = result.GetValue(directory) ?? WorkflowsDir(services);
            try
            {
                var set = DefinitionLoader.LoadDirectory(folder, services.GetRequiredService<IActivityCatalog>());
                await output.WriteLineAsync($"{set.Definitions.Count} workflow definitions in {folder} are valid.").ConfigureAwait(false);
                return 0;
            }
            catch (DefinitionValidationException ex)
            {
                await errors.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return 1;
            }
        });

        var id = new Argument<string>("id") { Description = "The workflow id." };
        var dir = new Option<string?>("--dir") { Description = "The definitions folder (default: Supervisor:WorkflowsDir)." };
        var graph = new Command("graph", "Print a definition as a Mermaid flowchart, outcomes on the edges.") { id, dir };
        graph.SetAction(async (result, _) =>
        {
            var folder = result.GetValue(dir) ?? WorkflowsDir(services);
            try
            {
                var set = DefinitionLoader.LoadDirectory(folder, services.GetRequiredService<IActivityCatalog>());
                var workflowId = result.GetRequiredValue(id);
                if (!set.Definitions.TryGetValue(workflowId, out var definition))
                {
                    await errors.WriteLineAsync($"There is no workflow \"{workflowId}\" in {folder}; there are: {string.Join(", ", set.Definitions.Keys)}.").ConfigureAwait(false);
                    return 1;
                }

                await output.WriteAsync(WorkflowGraph.ToMermaid(definition)).ConfigureAwait(false);
                return 0;
            }
            catch (DefinitionValidationException ex)
            {
                await errors.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return 1;
            }
        });

        return new Command("workflows", "Workflow definitions.") { validate, graph };
    }

    private static Command RunsCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var workflow = new Option<string?>("--workflow") { Description = "Only runs of this workflow." };
        var status = new Option<RunStatus?>("--status") { Description = "Only runs in this status." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "List runs, newest first.") { workflow, status, limit };
        list.SetAction(async (result, cancellationToken) =>
        {
            if (await MissingDatabaseAsync(services, errors).ConfigureAwait(false))
            {
                return 1;
            }

            var journal = await JournalAsync(services, cancellationToken).ConfigureAwait(false);
            var (runs, total) = await journal.ListRunsAsync(
                new RunQuery(result.GetValue(workflow), result.GetValue(status), 1, Math.Max(1, result.GetValue(limit))), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"{"ID",-32}  {"WORKFLOW",-24}  {"STATUS",-9}  {"CREATED (UTC)",-19}  REASON").ConfigureAwait(false);
            foreach (var run in runs)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Id,-32}  {run.WorkflowId,-24}  {run.Status,-9}  {run.CreatedAt.UtcDateTime,-19:yyyy-MM-dd HH:mm:ss}  {run.Reason}")).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"{runs.Count} of {total} runs").ConfigureAwait(false);
            return 0;
        });

        var id = new Argument<string>("id") { Description = "The run id." };
        var show = new Command("show", "Show a run activity by activity, with timings.") { id };
        show.SetAction(async (result, cancellationToken) =>
        {
            if (await MissingDatabaseAsync(services, errors).ConfigureAwait(false))
            {
                return 1;
            }

            var journal = await JournalAsync(services, cancellationToken).ConfigureAwait(false);
            var runId = result.GetRequiredValue(id);
            if (await journal.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is not { } run)
            {
                await output.WriteLineAsync($"There is no run \"{runId}\".").ConfigureAwait(false);

                // As GET /v3/runs/{id} answers: a refusal may have been counted rather than kept.
                foreach (var counted in await journal.ListRefusalsAroundAsync(runId, cancellationToken).ConfigureAwait(false))
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"  {counted.Minute:u}: {counted.Count} runs of {counted.WorkflowId} refused ({counted.Reason}) were counted, not kept; the first kept is {counted.KeptRunId ?? "none"}.")).ConfigureAwait(false);
                }

                return 1;
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Run {run.Id} of {run.WorkflowId} v{run.WorkflowVersion} ({run.ContentHash[..12]}), started by {run.Origin} at {run.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff} UTC")).ConfigureAwait(false);
            await output.WriteLineAsync($"Status: {run.Status}{(run.Reason is null ? string.Empty : $" ({run.Reason})")}{(run.Message is null ? string.Empty : $": {run.Message}")}").ConfigureAwait(false);
            await output.WriteLineAsync($"Input: {run.Input.GetRawText()}").ConfigureAwait(false);
            foreach (var step in run.Steps)
            {
                var duration = step.EndedAt is { } end ? string.Create(CultureInfo.InvariantCulture, $"{(end - step.StartedAt).TotalMilliseconds:0.#} ms") : "unfinished";
                var attempt = step.Attempt > 1 ? $" attempt {step.Attempt}" : string.Empty;
                await output.WriteLineAsync($"  {step.Sequence,3}. {step.ActivityId} ({step.ActivityType}){attempt}: {step.Outcome ?? step.Error ?? "-"} [{duration}]").ConfigureAwait(false);
                if (step.Output is { } stepOutput)
                {
                    await output.WriteLineAsync($"       output: {stepOutput.GetRawText()}").ConfigureAwait(false);
                }
            }

            return 0;
        });

        return new Command("runs", "The workflow journal.") { list, show };
    }

    private static Command PlanCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var target = new Option<string?>("--target") { Description = "A target state v3 file (default: the accepted target)." };
        var plan = new Command("plan", "Show the plan that would run now, phase by phase, without running it.") { target };
        plan.SetAction(async (result, cancellationToken) =>
        {
            TargetState state;
            var keepVolumes = false;
            if (result.GetValue(target) is { } file)
            {
                string json;
                try
                {
                    json = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await errors.WriteLineAsync($"Cannot read the target state {file}: {ex.Message}").ConfigureAwait(false);
                    return 1;
                }

                var parsed = TargetStateParser.Parse(json);
                if (parsed.State is null)
                {
                    await errors.WriteLineAsync($"{file} is not a valid target state:{Environment.NewLine}{parsed}").ConfigureAwait(false);
                    return 1;
                }

                state = parsed.State;
            }
            else
            {
                if (await MissingDatabaseAsync(services, errors).ConfigureAwait(false))
                {
                    return 1;
                }

                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken).ConfigureAwait(false);
                var stored = await services.GetRequiredService<TargetStateStore>().GetAsync(cancellationToken).ConfigureAwait(false);
                if (stored is null)
                {
                    await errors.WriteLineAsync("No target state has been accepted yet; give one with --target FILE.").ConfigureAwait(false);
                    return 1;
                }

                state = stored.State;
                keepVolumes = stored.IsLocal;
            }

            CurrentState current;
            try
            {
                current = await services.GetRequiredService<CurrentStateReader>().ReadAsync(state, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineException ex)
            {
                // The plan compares the target with the engine: without it there is nothing to compare.
                await errors.WriteLineAsync($"Cannot read the device: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
            var reconcile = ReconcilePlanner.Plan(state, current, keepVolumes);
            if (reconcile.IsEmpty && reconcile.Blocked.Count == 0)
            {
                await output.WriteLineAsync("Nothing to do: the device matches the target.").ConfigureAwait(false);
                return 0;
            }

            foreach (var (phase, steps) in new[] { ("Fetch", reconcile.Fetches), ("Change services", reconcile.ServiceChanges), ("Remove images", reconcile.Removals) })
            {
                await output.WriteLineAsync($"{phase} ({steps.Count}):").ConfigureAwait(false);
                foreach (var step in steps)
                {
                    await output.WriteLineAsync($"  {step}").ConfigureAwait(false);
                }
            }

            foreach (var blocked in reconcile.Blocked)
            {
                await output.WriteLineAsync($"Blocked: app {blocked.AppUuid}: {blocked.Reason}").ConfigureAwait(false);
            }

            return 0;
        });
        return plan;
    }

    private static string WorkflowsDir(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SupervisorOptions>>().Value.ResolveWorkflowsDir();

    /// <summary>
    /// A read-only verb on a data folder the service never ran with: says so and creates nothing (opening the journal
    /// would create an empty database, and then report "0 of 0 runs" as if that were the device's history).
    /// </summary>
    private static async Task<bool> MissingDatabaseAsync(IServiceProvider services, TextWriter errors)
    {
        var path = services.GetRequiredService<SupervisorDatabase>().Path;
        if (File.Exists(path))
        {
            return false;
        }

        await errors.WriteLineAsync($"There is no supervisor database at {path}: the service has not run with this data folder (give another with --Supervisor:DataDir=PATH).").ConfigureAwait(false);
        return true;
    }

    private static async Task<WorkflowJournal> JournalAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        return services.GetRequiredService<WorkflowJournal>();
    }

    /// <summary>What the commands are built with for a help request: their actions, the only users of services, never run.</summary>
    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
