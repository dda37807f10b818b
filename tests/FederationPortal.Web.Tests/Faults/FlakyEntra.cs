using System.Collections.Concurrent;
using System.Reflection;
using FederationPortal.Core.Entra;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Faults;

/// <summary>
/// The portal's own Entra connector, with chosen calls failing a given number of times as a Graph call does once the
/// SDK's retries are spent (503). Lets a test stop an action at an exact point between two cloud calls.
/// </summary>
public class FlakyEntra : DispatchProxy
{
    private static readonly MethodInfo FromException = typeof(Task).GetMethods().Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod);

    private IEntraDirectoryService inner = null!;

    /// <summary>Method name → how many more calls of it fail.</summary>
    public ConcurrentDictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>How many calls of each method failed so far.</summary>
    public ConcurrentDictionary<string, int> Failed { get; } = new(StringComparer.Ordinal);

    /// <summary>Replaces the registered connector with a flaky one around it; the returned handle sets the failures.</summary>
    public static FlakyEntraHandle Install(IServiceCollection services)
    {
        var descriptor = services.Last(d => d.ServiceType == typeof(IEntraDirectoryService));
        var implementation = descriptor.ImplementationType ?? throw new InvalidOperationException("The Entra connector is not registered by type.");
        services.Remove(descriptor);
        services.AddSingleton(implementation);
        var handle = new FlakyEntraHandle();
        services.AddSingleton(sp =>
        {
            var proxy = Create<IEntraDirectoryService, FlakyEntra>();
            var flaky = (FlakyEntra)(object)proxy;
            flaky.inner = (IEntraDirectoryService)sp.GetRequiredService(implementation);
            handle.Proxy = flaky;
            return proxy;
        });
        return handle;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var name = targetMethod.Name;
        if (Failures.TryGetValue(name, out var left) && left > 0 && Failures.TryUpdate(name, left - 1, left))
        {
            Failed.AddOrUpdate(name, 1, (_, n) => n + 1);
            var error = new EntraServiceException("serviceNotAvailable", 503, $"Injected failure of {name}.");
            return targetMethod.ReturnType == typeof(Task)
                ? Task.FromException(error)
                : FromException.MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(null, [error]);
        }

        try
        {
            return targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }
}

/// <summary>Reaches the flaky connector once the portal has built it.</summary>
public sealed class FlakyEntraHandle
{
    internal FlakyEntra? Proxy { get; set; }

    public void FailNext(string method, int times = 1) => Proxy!.Failures[method] = times;

    public int FailedCalls(string method) => Proxy!.Failed.GetValueOrDefault(method);
}
