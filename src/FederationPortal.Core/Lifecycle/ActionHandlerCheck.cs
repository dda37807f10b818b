using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FederationPortal.Core.Lifecycle;

/// <summary>
/// Stops the host at start when a kind a planner can plan has no handler, or two handlers claim one kind: a mismatch
/// between planner and handlers would otherwise show only when an operation reaches that action. Registered before
/// <see cref="OperationWorker"/>, so no operation runs on an engine that cannot finish it.
/// </summary>
public sealed class ActionHandlerCheck(IServiceScopeFactory scopes, IEnumerable<PlannedActionKinds> planned) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Handlers are scoped (they use the scoped cloud ports): look at them the way the runner gets them.
        await using var scope = scopes.CreateAsyncScope();
        Verify(planned, scope.ServiceProvider.GetServices<IActionHandler>().Select(h => h.Kind));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Throws, naming the kind, unless every planned kind has exactly one handler.</summary>
    public static void Verify(IEnumerable<PlannedActionKinds> planned, IEnumerable<string> handledKinds)
    {
        var handled = handledKinds.ToList();
        var problems = new List<string>();
        foreach (var kind in handled.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            problems.Add($"{handled.Count(k => k == kind)} action handlers are registered for '{kind}'; register exactly one.");
        }

        foreach (var (planner, kind) in planned.SelectMany(p => p.Kinds.Select(k => (p.Planner, Kind: k))).Where(p => !handled.Contains(p.Kind, StringComparer.Ordinal)))
        {
            problems.Add($"{planner} can plan '{kind}' actions, but no action handler is registered for '{kind}'.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The lifecycle engine cannot start: {string.Join(" ", problems)} This is a defect of the portal.");
        }
    }
}
