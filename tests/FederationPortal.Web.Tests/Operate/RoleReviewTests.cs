using System.Net;
using System.Security.Cryptography;
using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Review;
using FederationPortal.Core.Security;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Integration;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Operate;

public sealed class RoleReviewTests : IAsyncLifetime
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

    [Fact]
    public async Task Review_lists_direct_and_group_access_with_the_roles_policies_session_and_trusted_provider_read_live()
    {
        var environment = await driver.CreateEnvironmentAsync("Contoso review");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        await driver.ApplyAndWaitAsync(environment.Id);

        var snapshot = await driver.WithScopeAsync(sp => sp.GetRequiredService<ReviewService>().BuildAsync(environment.Id));

        Assert.Empty(snapshot.Problems);
        var diego = Assert.Single(snapshot.Rows, r => r.UserPrincipalName == "diego.siciliani@contoso.example" && r.IsDirect);
        Assert.Equal("FP-ReadOnly", diego.RoleName);
        Assert.Equal("arn:aws:iam::111122223333:role/FP-ReadOnly", diego.RoleArn);
        Assert.Equal(["arn:aws:iam::aws:policy/ReadOnlyAccess"], diego.Policies);
        Assert.Equal(7200, diego.MaxSessionDurationSeconds);
        var provider = Assert.Single(diego.TrustedProviders);
        Assert.EndsWith(":saml-provider/EntraID-Contoso-review", provider);
        Assert.Equal(provider, diego.ClaimProviderArn);
        Assert.Null(diego.Note);

        var viaGroup = snapshot.Rows.Where(r => r.ViaGroupId == SetupDriver.AwsAdminsGroupId).ToList();
        Assert.NotEmpty(viaGroup);
        Assert.All(viaGroup, r =>
        {
            Assert.Equal("FP-Administrator", r.RoleName);
            Assert.Equal("AWS Administrators", r.ViaGroupName);
            Assert.Equal(["arn:aws:iam::aws:policy/AdministratorAccess"], r.Policies);
            Assert.Equal(3600, r.MaxSessionDurationSeconds);
        });

        var filtered = snapshot.Filter(new ReviewFilter(Principal: "AWS Admin"));
        Assert.Equal(viaGroup.Count, filtered.Rows.Count);
        Assert.Empty(snapshot.Filter(new ReviewFilter(Role: "no-such-role")).Rows);

        // Live, not desired: a role deleted behind the portal's back shows as such.
        await driver.WithScopeAsync<object?>(async sp =>
        {
            var iam = sp.GetRequiredService<Core.Aws.IAwsIam>();
            await iam.DetachRolePolicyAsync("FP-ReadOnly", "arn:aws:iam::aws:policy/ReadOnlyAccess");
            await iam.DeleteRoleAsync("FP-ReadOnly");
            return null;
        });
        var after = await driver.WithScopeAsync(sp => sp.GetRequiredService<ReviewService>().BuildAsync());
        Assert.Contains("does not exist in AWS", Assert.Single(after.Rows, r => r.RoleName == "FP-ReadOnly").Note);
    }

    [Fact]
    public async Task Csv_export_is_canonical_and_an_attestation_records_the_reviewer_and_the_csv_hash()
    {
        var environment = await driver.CreateEnvironmentAsync("Contoso attest");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        await driver.ApplyAndWaitAsync(environment.Id);

        using var anonymous = host.CreateRealClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/review.csv?environmentId={environment.Id}", TestContext.Current.CancellationToken)).StatusCode);

        using var client = await SandboxSession.SignedInClientAsync(host, SandboxSession.ReaderId);
        var response = await client.GetAsync($"api/review.csv?environmentId={environment.Id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var csv = Encoding.UTF8.GetString(bytes);
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal(string.Join(',', ReviewSnapshot.CsvHeader), lines[0]);
        Assert.Contains(lines, l => l.Contains("diego.siciliani@contoso.example", StringComparison.Ordinal) && l.Contains("FP-ReadOnly", StringComparison.Ordinal));
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(hash, response.Headers.GetValues("X-Review-Sha256").Single());

        var reader = new PortalActor("reader-7", "Rita Reader", [PortalRoles.Reader]);
        var attestation = await driver.WithScopeAsync(async sp =>
        {
            var review = sp.GetRequiredService<ReviewService>();
            var snapshot = await review.BuildAsync(environment.Id);
            Assert.Equal(csv, snapshot.ToCsv());
            return await review.AttestAsync(reader, snapshot, "Quarterly review");
        });
        Assert.Equal(hash, attestation.Sha256);

        var events = await driver.WithScopeAsync(sp => sp.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery { Action = ReviewService.AttestAction }));
        var recorded = Assert.Single(events.Items);
        Assert.Equal("Rita Reader", recorded.ActorName);
        Assert.Equal(AuditOutcome.Success, recorded.Outcome);
        Assert.Equal(environment.Id, recorded.EnvironmentId);
        Assert.Contains(hash, recorded.DetailsJson);

        await Assert.ThrowsAsync<PortalAuthorizationException>(() => driver.WithScopeAsync(async sp =>
            await sp.GetRequiredService<ReviewService>().AttestAsync(PortalActor.Anonymous, new ReviewSnapshot(DateTimeOffset.UtcNow, null, [], []))));
    }

    [Fact]
    public void Trust_policy_providers_are_read_from_allow_statements_granting_saml_assumption()
    {
        const string policy = """
            {"Version":"2012-10-17","Statement":[
             {"Effect":"Allow","Principal":{"Federated":["arn:aws:iam::1:saml-provider/A","arn:aws:iam::1:saml-provider/B"]},"Action":["sts:AssumeRoleWithSAML"]},
             {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:saml-provider/C"},"Action":"sts:AssumeRole"},
             {"Effect":"Deny","Principal":{"Federated":"arn:aws:iam::1:saml-provider/D"},"Action":"sts:AssumeRoleWithSAML"}]}
            """;
        Assert.Equal(["arn:aws:iam::1:saml-provider/A", "arn:aws:iam::1:saml-provider/B"], ReviewService.TrustedSamlProviders(policy));
        Assert.Equal(["arn:aws:iam::1:saml-provider/A", "arn:aws:iam::1:saml-provider/B"], ReviewService.TrustedSamlProviders(Uri.EscapeDataString(policy)));
        Assert.Empty(ReviewService.TrustedSamlProviders("not json"));
    }
}
