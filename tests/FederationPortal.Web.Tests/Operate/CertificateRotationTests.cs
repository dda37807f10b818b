using FederationPortal.Core.Audit;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Rotation;
using FederationPortal.Core.Security;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Operate;

public sealed class CertificateRotationTests : IAsyncLifetime
{
    private readonly PortalHost host = new();
    private SetupDriver driver = null!;

    public ValueTask InitializeAsync()
    {
        driver = new SetupDriver(host);
        _ = host.BaseAddress;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private async Task<FederationEnvironment> SetUpAsync(string name)
    {
        var environment = await driver.CreateEnvironmentAsync(name);
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        await driver.ApplyAndWaitAsync(environment.Id);
        return environment;
    }

    private Task<T> WithRotation<T>(Func<CertificateRotationService, Task<T>> work)
        => driver.WithScopeAsync(sp => work(sp.GetRequiredService<CertificateRotationService>()));

    private async Task AssertSignInWorksAsync(Guid environmentId, string when)
    {
        var result = await driver.WithScopeAsync(sp => sp.GetRequiredService<SignInTestService>()
            .SignInAsync(SetupDriver.Admin, environmentId, "diego.siciliani@contoso.example", "FP-ReadOnly"));
        Assert.True(result.Success, $"Sign-in failed {when}:\n" + string.Join("\n", result.Steps.Select(s => $"{s.Name}: {s.Passed} {s.Detail}")));
    }

    [Fact]
    public async Task Rotation_in_four_steps_never_breaks_a_sign_in_and_leaves_only_the_new_certificate()
    {
        var environment = await SetUpAsync("Contoso rotate");
        var before = await WithRotation(r => r.GetStateAsync(environment.Id));
        Assert.True(before.IsReady, before.NotReadyReason);
        Assert.Equal(RotationStep.AddCertificate, before.NextStep);
        var original = Assert.Single(before.EntraCertificates);
        Assert.True(original.IsActive && original.InIamMetadata);
        await AssertSignInWorksAsync(environment.Id, "before the rotation");

        var added = await WithRotation(r => r.AddCertificateAsync(SetupDriver.Admin, environment.Id));
        Assert.Equal(RotationStep.PublishBoth, added.NextStep);
        Assert.Equal(2, added.EntraCertificates.Count);
        Assert.Equal(original.Thumbprint, added.ActiveThumbprint);
        Assert.NotNull(added.NewThumbprint);
        await AssertSignInWorksAsync(environment.Id, "after step 1 (new certificate added)");

        var published = await WithRotation(r => r.PublishBothAsync(SetupDriver.Admin, environment.Id));
        Assert.Equal(RotationStep.Activate, published.NextStep);
        Assert.Equal(2, published.IamCertificates.Count);
        await AssertSignInWorksAsync(environment.Id, "after step 2 (both in IAM)");

        var activated = await WithRotation(r => r.ActivateAsync(SetupDriver.Admin, environment.Id));
        Assert.Equal(RotationStep.RemoveOld, activated.NextStep);
        Assert.Equal(added.NewThumbprint, activated.ActiveThumbprint);
        Assert.Equal([original.Thumbprint], activated.OldThumbprints);
        await AssertSignInWorksAsync(environment.Id, "after step 3 (new certificate active)");

        var done = await WithRotation(r => r.RemoveOldAsync(SetupDriver.Admin, environment.Id));
        Assert.Equal(RotationStep.AddCertificate, done.NextStep);
        Assert.Equal(added.NewThumbprint, Assert.Single(done.EntraCertificates).Thumbprint);
        Assert.Equal(added.NewThumbprint, Assert.Single(done.IamCertificates).Thumbprint);
        await AssertSignInWorksAsync(environment.Id, "after step 4 (old certificate removed)");

        await driver.WithScopeAsync<object?>(async sp =>
        {
            // The clouds, not the portal's view: Entra holds one certificate (Sign + Verify + its password credential) and IAM lists it.
            var inventory = await sp.GetRequiredService<SetupService>().GetInventoryAsync(environment.Id);
            Assert.Equal(added.NewThumbprint, inventory.Single(r => r.Type == ResourceTypes.SigningCertificate).CloudId);
            var app = inventory.Single(r => r.Type == ResourceTypes.Application);
            var spId = System.Text.Json.JsonSerializer.Deserialize<Core.Federation.Handlers.AppAttributes>(app.Attributes!, EnvironmentSpec.Json)!.ServicePrincipalId;
            var servicePrincipal = await sp.GetRequiredService<IEntraDirectoryService>().GetServicePrincipalAsync(spId);
            Assert.Equal(2, servicePrincipal!.KeyCredentials.Count);
            Assert.Equal(added.NewThumbprint, servicePrincipal.PreferredTokenSigningKeyThumbprint);

            var events = await sp.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery { EnvironmentId = environment.Id, Search = "certificate.rotation", PageSize = 50 });
            Assert.Equal(
                ["certificate.rotation.add", "certificate.rotation.publish", "certificate.rotation.activate", "certificate.rotation.remove"],
                events.Items.Where(e => e.Action.StartsWith("certificate.rotation", StringComparison.Ordinal)).OrderBy(e => e.Sequence).Select(e => e.Action));
            return null;
        });

        var replan = await driver.PlanAsync(environment.Id);
        Assert.False(replan.HasChanges);
    }

    [Fact]
    public async Task Steps_out_of_order_are_refused_and_audited_and_readers_are_denied()
    {
        var environment = await SetUpAsync("Contoso guard");
        await WithRotation(r => r.AddCertificateAsync(SetupDriver.Admin, environment.Id));

        var twice = await Assert.ThrowsAsync<PortalValidationException>(() => WithRotation(r => r.AddCertificateAsync(SetupDriver.Admin, environment.Id)));
        Assert.Contains("finish step 2 first", twice.Message);

        var refused = await Assert.ThrowsAsync<PortalValidationException>(() => WithRotation(r => r.ActivateAsync(SetupDriver.Admin, environment.Id)));
        Assert.Contains("Publish both certificates first", refused.Message);
        await AssertSignInWorksAsync(environment.Id, "after a refused activation");

        var reader = new PortalActor("reader-1", "Rita Reader", [PortalRoles.Reader]);
        await Assert.ThrowsAsync<PortalAuthorizationException>(() => WithRotation(r => r.PublishBothAsync(reader, environment.Id)));

        var events = await driver.WithScopeAsync(sp => sp.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery { EnvironmentId = environment.Id, Search = "certificate.rotation", PageSize = 50 }));
        Assert.Contains(events.Items, e => e.Action == "certificate.rotation.activate" && e.Outcome == AuditOutcome.Failure);
        Assert.Contains(events.Items, e => e.Action == "certificate.rotation.publish" && e.Outcome == AuditOutcome.Denied && e.ActorName == "Rita Reader");
    }

    [Fact]
    public async Task Expiry_warnings_list_environments_whose_active_certificate_expires_within_the_window()
    {
        var environment = await SetUpAsync("Contoso expiry");
        var none = await WithRotation(r => r.ListExpiringAsync(30));
        Assert.DoesNotContain(none, w => w.EnvironmentId == environment.Id);

        var all = await WithRotation(r => r.ListExpiringAsync(365 * 4));
        var warning = Assert.Single(all, w => w.EnvironmentId == environment.Id);
        Assert.False(warning.IsExpired);
        Assert.NotNull(warning.Thumbprint);
    }

    [Fact]
    public void Built_metadata_lists_every_certificate_and_passes_iams_rules()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        byte[] Certificate(string cn)
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(cn, rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(1));
            return certificate.RawData;
        }

        var xml = CertificateRotationService.BuildMetadata("https://sts.windows.net/tenant/", ["https://login.example/tenant/saml2"], [Certificate("CN=old"), Certificate("CN=new")]);
        var parsed = Core.Saml.SamlMetadataParser.Parse(xml);
        Assert.True(parsed.IsValid, string.Join(" ", parsed.Problems.Select(p => p.Message)));
        Assert.Equal(2, parsed.Metadata!.SigningCertificates.Count);
        Assert.Equal("https://sts.windows.net/tenant/", parsed.Metadata.EntityId);
    }
}
