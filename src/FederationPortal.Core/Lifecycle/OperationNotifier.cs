using System.Collections.Concurrent;

namespace FederationPortal.Core.Lifecycle;

/// <summary>
/// Tells whoever watches an operation (a component, through <c>InvokeAsync(StateHasChanged)</c>) that its state
/// changed. In-process: the Blazor circuit is already the push channel.
/// </summary>
public sealed class OperationNotifier
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, Func<Task>>> subscribers = new();

    public IDisposable Subscribe(Guid operationId, Func<Task> onChanged)
    {
        var token = Guid.NewGuid();
        subscribers.GetOrAdd(operationId, _ => new()).TryAdd(token, onChanged);
        return new Subscription(() =>
        {
            if (subscribers.TryGetValue(operationId, out var set))
            {
                set.TryRemove(token, out _);
            }
        });
    }

    public async Task NotifyAsync(Guid operationId)
    {
        if (!subscribers.TryGetValue(operationId, out var set))
        {
            return;
        }

        foreach (var callback in set.Values)
        {
            try
            {
                await callback();
            }
            catch (ObjectDisposedException)
            {
                // A circuit that went away between the check and the call.
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref dispose, null)?.Invoke();
    }
}
