using System.Collections.Concurrent;
using System.Reflection;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Faults;

/// <summary>
/// One of the portal's own cloud connectors, with chosen calls failing a given number of times as a call does once the
/// connector's retries are spent (503). Lets a test stop an action at an exact point between two cloud calls.
/// </summary>
public class Flaky<TService> : DispatchProxy where TService : class
{
    private static readonly MethodInfo FromException = typeof(Task).GetMethods().Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod);

    private TService inner = null!;
    private Func<string, Exception> error = null!;

    /// <summary>Method name → how many more calls of it fail.</summary>
    public ConcurrentDictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>How many calls of each method failed so far.</summary>
    public ConcurrentDictionary<string, int> Failed { get; } = new(StringComparer.Ordinal);

    /// <summary>Replaces the registered connector with a flaky one around it; the returned handle arms the failures.</summary>
    public static FlakyHandle<TService> Install(IServiceCollection services, Func<string, Exception> error)
    {
        var descriptor = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(descriptor);
        Func<IServiceProvider, TService> original;
        if (descriptor.ImplementationFactory is { } factory)
        {
            original = sp => (TService)factory(sp);
        }
        else
        {
            var implementation = descriptor.ImplementationType ?? throw new InvalidOperationException($"{typeof(TService).Name} is registered by instance.");
            services.AddSingleton(implementation);
            original = sp => (TService)sp.GetRequiredService(implementation);
        }

        var handle = new FlakyHandle<TService>();
        services.AddSingleton(sp =>
        {
            var proxy = Create<TService, Flaky<TService>>();
            var flaky = (Flaky<TService>)(object)proxy;
            flaky.inner = original(sp);
            flaky.error = error;
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
            var failure = error(name);
            return targetMethod.ReturnType == typeof(Task)
                ? Task.FromException(failure)
                : FromException.MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(null, [failure]);
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
public sealed class FlakyHandle<TService> where TService : class
{
    internal Flaky<TService>? Proxy { get; set; }

    public void FailNext(string method, int times = 1) => Proxy!.Failures[method] = times;

    public int FailedCalls(string method) => Proxy!.Failed.GetValueOrDefault(method);
}

/// <summary>The connectors' errors once their retries are spent.</summary>
public static class Unavailable
{
    public static FlakyHandle<IEntraDirectoryService> Entra(IServiceCollection services)
        => Flaky<IEntraDirectoryService>.Install(services, name => new EntraServiceException("serviceNotAvailable", 503, $"Injected failure of {name}."));

    public static FlakyHandle<IAwsIam> Iam(IServiceCollection services)
        => Flaky<IAwsIam>.Install(services, name => new AwsServiceException("ServiceUnavailable", $"Injected failure of {name}.", System.Net.HttpStatusCode.ServiceUnavailable));
}
