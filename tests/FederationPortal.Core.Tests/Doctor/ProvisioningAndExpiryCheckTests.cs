using System.Reflection;
using System.Text.Json;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Doctor;
using FederationPortal.Core.Doctor.Checks;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Tests.Lifecycle;

namespace FederationPortal.Core.Tests.Doctor;

/// <summary>
/// The checks whose faults the sandbox cannot seed yet (a quarantined or failed provisioning job, an expired certificate),
/// judged against ports that answer exactly the state under test.
/// </summary>
public sealed class ProvisioningAndExpiryCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(true, "Active", "quarantined")]
    [InlineData(false, "Failed", "last provisioning run failed")]
    public async Task Quarantined_or_failed_provisioning_job_fails(bool quarantined, string lastState, string expected)
    {
        var job = new EntraSynchronizationJob("aws.1", "aws", quarantined ? "Quarantine" : "Active", lastState, Now, "InvalidCredentials: AccessDenied on iam:ListRoles", quarantined);
        var context = await ContextAsync(entraAnswers: name => name == nameof(IEntraDirectoryService.GetSynchronizationJobAsync) ? job : null);

        var finding = Assert.Single(await new ProvisioningJobCheck().RunAsync(context));

        Assert.Equal(DoctorStatus.Failed, finding.Status);
        Assert.Contains(expected, finding.Explanation);
        Assert.Contains("iam:ListRoles", finding.Fix);
    }

    [Fact]
    public async Task Healthy_provisioning_job_passes()
    {
        var job = new EntraSynchronizationJob("aws.1", "aws", "Active", "Succeeded", Now, null, false);
        var context = await ContextAsync(entraAnswers: name => name == nameof(IEntraDirectoryService.GetSynchronizationJobAsync) ? job : null);

        Assert.Equal(DoctorStatus.Passed, Assert.Single(await new ProvisioningJobCheck().RunAsync(context)).Status);
    }

    [Theory]
    [InlineData(-1, DoctorStatus.Failed, "expired")]
    [InlineData(10, DoctorStatus.Warning, "in 10 day(s)")]
    [InlineData(400, DoctorStatus.Passed, "valid until")]
    public async Task Certificate_expiry_is_judged_against_the_threshold(int daysLeft, DoctorStatus status, string expected)
    {
        var thumbprint = Convert.ToHexString(new byte[20].Select((_, i) => (byte)i).ToArray());
        var sp = new EntraServicePrincipalInfo("sp", "app", "AWS Contoso", "saml", thumbprint, [],
            [new EntraKeyCredential(Guid.NewGuid(), "CN=x", "AsymmetricX509Cert", "Verify", Now.AddYears(-1), Now.AddDays(daysLeft), Convert.ToBase64String(Convert.FromHexString(thumbprint)))]);
        var context = await ContextAsync(entraAnswers: name => name == nameof(IEntraDirectoryService.GetServicePrincipalAsync) ? sp : null);

        var finding = Assert.Single(await new SigningCertificateExpiryCheck().RunAsync(context));

        Assert.Equal(status, finding.Status);
        Assert.Contains(expected, finding.Explanation);
    }

    private static async Task<DoctorContext> ContextAsync(Func<string, object?> entraAnswers)
    {
        var environment = new FederationEnvironment { Id = Guid.NewGuid(), Name = "Contoso", EntraTenantId = Guid.NewGuid().ToString(), AwsAccountId = "111122223333", DesiredStateJson = new EnvironmentSpec().ToJson() };
        var inventory = new InMemoryInventory();
        await inventory.UpsertAsync(new ManagedResource
        {
            EnvironmentId = environment.Id, Type = ResourceTypes.Application, Key = ResourceTypes.SingletonKey, CloudId = "app-object",
            Attributes = JsonSerializer.Serialize(new AppAttributes("app", "sp", "AWS Contoso"), EnvironmentSpec.Json),
        });
        await inventory.UpsertAsync(new ManagedResource { EnvironmentId = environment.Id, Type = ResourceTypes.SyncJob, Key = ResourceTypes.SingletonKey, CloudId = "aws.1" });
        return await DoctorContext.LoadAsync(environment, await inventory.ListAsync(environment.Id), new DoctorOptions(), Now,
            Answering<IEntraDirectoryService>.Create(entraAnswers), Answering<IAwsIam>.Create(_ => null), new SingleEnvironmentStore(environment), inventory, CancellationToken.None);
    }
}

/// <summary>A port whose every async method answers what <c>answer(methodName)</c> says (null: the default, e.g. "not found").</summary>
public class Answering<T> : DispatchProxy where T : class
{
    private Func<string, object?> answer = _ => null;

    public static T Create(Func<string, object?> answer)
    {
        var proxy = Create<T, Answering<T>>();
        ((Answering<T>)(object)proxy).answer = answer;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var type = targetMethod!.ReturnType;
        if (type == typeof(Task))
        {
            return Task.CompletedTask;
        }

        var result = answer(targetMethod.Name);
        var inner = type.GetGenericArguments()[0];
        if (result is null && inner.IsGenericType && inner.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            result = Array.CreateInstance(inner.GetGenericArguments()[0], 0);
        }

        return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(inner).Invoke(null, [result]);
    }
}
