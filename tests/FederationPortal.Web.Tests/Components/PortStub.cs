using System.Reflection;

namespace FederationPortal.Web.Tests.Components;

/// <summary>
/// A cloud port for component tests: answers the methods a test configures (by name) and fails loudly on any other,
/// so that a component calling something unexpected shows up as a test failure.
/// </summary>
public class PortStub<T> : DispatchProxy where T : class
{
    private Dictionary<string, Func<object?[], object?>> answers = [];

    public static T Create(Dictionary<string, Func<object?[], object?>> answers)
    {
        var proxy = Create<T, PortStub<T>>();
        ((PortStub<T>)(object)proxy).answers = answers;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        => targetMethod is not null && answers.TryGetValue(targetMethod.Name, out var answer)
            ? answer(args ?? [])
            : throw new NotSupportedException($"{typeof(T).Name}.{targetMethod?.Name} was not expected in this test.");
}
