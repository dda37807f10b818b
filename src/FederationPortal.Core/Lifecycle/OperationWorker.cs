using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Core.Lifecycle;

/// <summary>
/// Runs queued operations in the background, one scope per operation; at start it resumes every operation a
/// previous process left unfinished. Different environments' operations run side by side.
/// </summary>
public sealed class OperationWorker(
    OperationQueue queue,
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ILogger<OperationWorker> logger) : BackgroundService
{
    private readonly Dictionary<Guid, Task> running = [];

    protected override async Task ExecuteAsync(CancellationToken workerStopping)
    {
        // Stop between actions as soon as the application begins to stop, before the web server (and with it the
        // sandbox clouds) goes away: started actions stay Running and are resumed at the next start.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(workerStopping, lifetime.ApplicationStopping);
        var stoppingToken = linked.Token;

        // Resume only once the server listens: in Sandbox mode the clouds are this process's own endpoints.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var unfinished = await scope.ServiceProvider.GetRequiredService<IOperationStore>().ListUnfinishedAsync(stoppingToken);
            foreach (var id in unfinished)
            {
                logger.LogInformation("Resuming operation {OperationId} left unfinished by a previous run", id);
                await queue.EnqueueAsync(id, stoppingToken);
            }
        }

        try
        {
            await foreach (var operationId in queue.Reader.ReadAllAsync(stoppingToken))
            {
                lock (running)
                {
                    foreach (var done in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
                    {
                        running.Remove(done);
                    }

                    if (running.ContainsKey(operationId))
                    {
                        continue;
                    }

                    running[operationId] = RunOneAsync(operationId, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Task[] remaining;
        lock (running)
        {
            remaining = [.. running.Values];
        }

        await Task.WhenAll(remaining.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private async Task RunOneAsync(Guid operationId, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OperationRunner>().RunAsync(operationId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Operation {OperationId} interrupted by shutdown; it resumes at the next start", operationId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Operation {OperationId} stopped on an unexpected error", operationId);
        }
    }
}
