using System.Security.Cryptography.X509Certificates;
using FederationPortal.Core.Entra;
using Microsoft.Extensions.DependencyInjection;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Clouds.Tests.Entra;

/// <summary>The Entra connector, call by call, through the real Microsoft Graph SDK against the sandbox tenant.</summary>
public sealed class EntraConnectorTests(EntraConnectorFixture fixture) : IClassFixture<EntraConnectorFixture>
{
    private const string RoleArn = "arn:aws:iam::111122223333:role/ReadOnly";
    private const string ProviderArn = "arn:aws:iam::111122223333:saml-provider/EntraID";
    private const string ReadOnlyGroup = "7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c02";
    private const string LeeGu = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f05";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IEntraDirectoryService Entra => fixture.Entra;

    [Fact]
    public async Task Finds_the_AWS_gallery_template_by_id()
    {
        var template = await Entra.GetAwsTemplateAsync(Ct);
        Assert.Equal("AWS Single-Account Access", template.DisplayName);
        Assert.Contains("saml", template.SupportedSingleSignOnModes);
    }

    [Fact]
    public async Task Sets_up_the_Entra_half_of_a_federation_end_to_end_and_tears_it_down()
    {
        var created = await Entra.InstantiateAwsAppAsync("AWS Contoso", Ct);
        var spId = created.ServicePrincipal.Id;
        Assert.Equal(created.Application.AppId, created.ServicePrincipal.AppId);
        Assert.Contains(created.ServicePrincipal.AppRoles, r => r.DisplayName == "msiam_access");

        await Entra.SetSamlSingleSignOnAsync(spId, Ct);
        await Entra.SetSamlUrlsAsync(created.Application.Id, "https://signin.aws.amazon.com/saml#1", EntraWellKnown.AwsSignInUrl, Ct);
        var application = await Entra.GetApplicationAsync(created.Application.Id, Ct);
        Assert.Equal(["https://signin.aws.amazon.com/saml#1"], application!.IdentifierUris);
        Assert.Equal([EntraWellKnown.AwsSignInUrl], application.RedirectUris);

        var end = DateTimeOffset.UtcNow.AddYears(3).AddDays(-1);
        var certificate = await Entra.AddTokenSigningCertificateAsync(spId, "CN=Microsoft Azure Federated SSO Certificate", end, Ct);
        Assert.Matches("^[0-9A-F]{40}$", certificate.Thumbprint);
        using (var x509 = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.PublicCertificate))
        {
            Assert.Equal(2048, x509.GetRSAPublicKey()!.KeySize);
            Assert.Equal("CN=Microsoft Azure Federated SSO Certificate", x509.Subject);
            Assert.Equal(certificate.Thumbprint, x509.Thumbprint);
            Assert.False(x509.HasPrivateKey);
        }

        await Entra.SetPreferredTokenSigningThumbprintAsync(spId, certificate.Thumbprint, Ct);
        var sp = await Entra.GetServicePrincipalAsync(spId, Ct);
        Assert.Equal("saml", sp!.PreferredSingleSignOnMode);
        Assert.Equal(certificate.Thumbprint, sp.PreferredTokenSigningKeyThumbprint);
        Assert.Equal(["Sign", "Verify"], sp.KeyCredentials.Select(k => k.Usage).Order().ToArray());
        Assert.Single(sp.KeyCredentials.Select(k => k.CustomKeyIdentifier).Distinct());

        var policyId = await Entra.CreateClaimsMappingPolicyAsync("AWS claims", EntraWellKnown.AwsClaimsMappingDefinition(), Ct);
        await Entra.AssignClaimsMappingPolicyAsync(spId, policyId, Ct);
        var policies = await Entra.ListClaimsMappingPoliciesAsync(spId, Ct);
        Assert.Equal(policyId, Assert.Single(policies).Id);

        var roleId = Guid.NewGuid();
        var roles = (await Entra.GetAppRolesAsync(spId, Ct)).Append(EntraAppRole.ForAwsRole(roleId, RoleArn, ProviderArn)).ToList();
        await Entra.SetAppRolesAsync(spId, roles, Ct);
        var stored = Assert.Single(await Entra.GetAppRolesAsync(spId, Ct), r => r.Id == roleId);
        Assert.Equal("ReadOnly,EntraID", stored.DisplayName);
        Assert.Equal($"{RoleArn},{ProviderArn}", stored.Value);

        var groupAssignment = await Entra.AssignAppRoleAsync(spId, ReadOnlyGroup, roleId, Ct);
        var userAssignment = await Entra.AssignAppRoleAsync(spId, LeeGu, roleId, Ct);
        Assert.Equal("Group", groupAssignment.PrincipalType);
        Assert.Equal("User", userAssignment.PrincipalType);
        Assert.Equal(2, (await Entra.ListAppRoleAssignmentsAsync(spId, Ct)).Count);
        var duplicate = await Assert.ThrowsAsync<EntraServiceException>(() => Entra.AssignAppRoleAsync(spId, LeeGu, roleId, Ct));
        Assert.Equal(400, duplicate.StatusCode);
        await Entra.RemoveAppRoleAssignmentAsync(spId, userAssignment.Id, Ct);
        Assert.Equal(groupAssignment.Id, Assert.Single(await Entra.ListAppRoleAssignmentsAsync(spId, Ct)).Id);

        var metadata = await Entra.GetFederationMetadataAsync(created.Application.AppId, Ct);
        Assert.Equal("https://sts.windows.net/8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63/", metadata.EntityId);
        Assert.True(metadata.IsSigned);
        Assert.True(metadata.SignatureValid, string.Join(" ", metadata.Problems));
        var metadataCertificate = Assert.Single(metadata.SigningCertificates);
        Assert.Equal(certificate.Thumbprint, metadataCertificate.Thumbprint);
        Assert.False(metadataCertificate.IsExpired);
        Assert.EndsWith("/saml2", metadata.SingleSignOnUrl);

        // Teardown: the policy cannot go while assigned; the app takes its service principal with it.
        var assigned = await Assert.ThrowsAsync<EntraServiceException>(() => Entra.DeleteClaimsMappingPolicyAsync(policyId, Ct));
        Assert.Equal(400, assigned.StatusCode);
        await Entra.RemoveClaimsMappingPolicyAsync(spId, policyId, Ct);
        await Entra.DeleteClaimsMappingPolicyAsync(policyId, Ct);
        await Entra.DeleteApplicationAsync(created.Application.Id, Ct);
        Assert.Null(await Entra.GetApplicationAsync(created.Application.Id, Ct));
        Assert.Null(await Entra.GetServicePrincipalAsync(spId, Ct));
        await Entra.DeleteApplicationAsync(created.Application.Id, Ct); // already gone: not an error
    }

    [Fact]
    public async Task An_identifier_URI_is_unique_in_the_tenant_so_a_second_AWS_app_uses_the_instance_suffix()
    {
        var first = await Entra.InstantiateAwsAppAsync("AWS First", Ct);
        var second = await Entra.InstantiateAwsAppAsync("AWS Second", Ct);
        await Entra.SetSamlUrlsAsync(first.Application.Id, "https://signin.aws.amazon.com/saml#21", EntraWellKnown.AwsSignInUrl, Ct);

        var clash = await Assert.ThrowsAsync<EntraServiceException>(() =>
            Entra.SetSamlUrlsAsync(second.Application.Id, "https://signin.aws.amazon.com/saml#21", EntraWellKnown.AwsSignInUrl, Ct));
        Assert.Equal("Request_MultipleObjectsWithSameKeyValue", clash.Code);
        Assert.Equal(400, clash.StatusCode);

        await Entra.SetSamlUrlsAsync(second.Application.Id, "https://signin.aws.amazon.com/saml#22", EntraWellKnown.AwsSignInUrl, Ct);
        Assert.Equal(["https://signin.aws.amazon.com/saml#22"], (await Entra.GetApplicationAsync(second.Application.Id, Ct))!.IdentifierUris);
    }

    [Fact]
    public async Task The_free_AWS_identifier_skips_the_ones_taken_in_the_tenant()
    {
        var first = await Entra.GetFreeAwsIdentifierAsync(Ct);
        var app = await Entra.InstantiateAwsAppAsync("AWS Identifier", Ct);
        await Entra.SetSamlUrlsAsync(app.Application.Id, first, EntraWellKnown.AwsSignInUrl, Ct);
        var next = await Entra.GetFreeAwsIdentifierAsync(Ct);
        Assert.NotEqual(first, next);
        Assert.StartsWith(EntraWellKnown.AwsSignInUrl + "#", next);
        var other = await Entra.InstantiateAwsAppAsync("AWS Identifier 2", Ct);
        await Entra.SetSamlUrlsAsync(other.Application.Id, next, EntraWellKnown.AwsSignInUrl, Ct);
    }

    [Fact]
    public async Task An_enabled_app_role_must_be_disabled_before_it_is_removed()
    {
        var created = await Entra.InstantiateAwsAppAsync("AWS Roles", Ct);
        var spId = created.ServicePrincipal.Id;
        var roleId = Guid.NewGuid();
        var initial = await Entra.GetAppRolesAsync(spId, Ct);
        await Entra.SetAppRolesAsync(spId, initial.Append(EntraAppRole.ForAwsRole(roleId, RoleArn, ProviderArn)).ToList(), Ct);

        var removed = await Assert.ThrowsAsync<EntraServiceException>(() => Entra.SetAppRolesAsync(spId, initial, Ct));
        Assert.Equal("CannotDeleteOrUpdateEnabledEntitlement", removed.Code);

        var duplicateValue = EntraAppRole.ForAwsRole(Guid.NewGuid(), RoleArn, ProviderArn);
        var clash = await Assert.ThrowsAsync<EntraServiceException>(() =>
            Entra.SetAppRolesAsync(spId, initial.Append(EntraAppRole.ForAwsRole(roleId, RoleArn, ProviderArn)).Append(duplicateValue).ToList(), Ct));
        Assert.Equal("Request_BadRequest", clash.Code);

        await Entra.SetAppRolesAsync(spId, initial.Append(EntraAppRole.ForAwsRole(roleId, RoleArn, ProviderArn) with { IsEnabled = false }).ToList(), Ct);
        await Entra.SetAppRolesAsync(spId, initial, Ct);
        Assert.DoesNotContain(await Entra.GetAppRolesAsync(spId, Ct), r => r.Id == roleId);
    }

    [Theory]
    [InlineData("AWS SSO", 1, "displayName")]
    [InlineData("cn=lowercase", 1, "displayName")]
    [InlineData("CN=Too long", 4, "3 years")]
    public async Task Token_signing_certificates_need_a_CN_name_and_at_most_three_years(string displayName, int years, string mentioned)
    {
        var created = await Entra.InstantiateAwsAppAsync("AWS Certs", Ct);
        var refused = await Assert.ThrowsAsync<EntraServiceException>(() =>
            Entra.AddTokenSigningCertificateAsync(created.ServicePrincipal.Id, displayName, DateTimeOffset.UtcNow.AddYears(years), Ct));
        Assert.Equal(400, refused.StatusCode);
        Assert.Contains(mentioned, refused.Message);
    }

    [Fact]
    public async Task The_preferred_thumbprint_must_be_one_of_the_service_principals_certificates()
    {
        var created = await Entra.InstantiateAwsAppAsync("AWS Thumbprint", Ct);
        var refused = await Assert.ThrowsAsync<EntraServiceException>(() =>
            Entra.SetPreferredTokenSigningThumbprintAsync(created.ServicePrincipal.Id, new string('A', 40), Ct));
        Assert.Equal(400, refused.StatusCode);
    }

    [Theory]
    [InlineData("""{"ClaimsMappingPolicy":{"Version":1,"IncludeBasicClaimSet":"true","ClaimsSchema":[{"source":"user","ID":"userprincipalname","SamlClaimType":"x"}]}}""", "unknown key 'source'")]
    [InlineData("""{"claimsMappingPolicy":{"Version":1}}""", "ClaimsMappingPolicy")]
    [InlineData("""{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"ID":"3600","SamlClaimType":"https://aws.amazon.com/SAML/Attributes/SessionDuration"}]}}""", "'Value', not 'ID'")]
    [InlineData("""{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Source":"user","ID":"x","Value":"3600","SamlClaimType":"y"}]}}""", "both a constant Value and a Source/ID")]
    [InlineData("""{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Source":"user","ID":"favouritecolour","SamlClaimType":"y"}]}}""", "not a user attribute")]
    [InlineData("""{"ClaimsMappingPolicy":{"Version":1,"ClaimsSchema":[{"Source":"user","ID":"mail"}]}}""", "neither SamlClaimType nor JwtClaimType")]
    [InlineData("""{"ClaimsMappingPolicy":{"Version":2}}""", "Version must be 1")]
    [InlineData("""not json""", "not valid JSON")]
    public async Task Claims_mapping_definitions_are_validated_case_sensitively(string definition, string mentioned)
    {
        var refused = await Assert.ThrowsAsync<EntraServiceException>(() => Entra.CreateClaimsMappingPolicyAsync("Bad", definition, Ct));
        Assert.Equal("Request_BadRequest", refused.Code);
        Assert.Contains(mentioned, refused.Message);
    }

    [Fact]
    public async Task A_service_principal_takes_one_claims_mapping_policy_at_a_time()
    {
        var created = await Entra.InstantiateAwsAppAsync("AWS Claims", Ct);
        var spId = created.ServicePrincipal.Id;
        var first = await Entra.CreateClaimsMappingPolicyAsync("first", EntraWellKnown.AwsClaimsMappingDefinition(), Ct);
        var second = await Entra.CreateClaimsMappingPolicyAsync("second", EntraWellKnown.AwsClaimsMappingDefinition(900), Ct);
        await Entra.AssignClaimsMappingPolicyAsync(spId, first, Ct);

        var refused = await Assert.ThrowsAsync<EntraServiceException>(() => Entra.AssignClaimsMappingPolicyAsync(spId, second, Ct));
        Assert.Equal(400, refused.StatusCode);

        await Entra.RemoveClaimsMappingPolicyAsync(spId, first, Ct);
        await Entra.AssignClaimsMappingPolicyAsync(spId, second, Ct);
        Assert.Equal(second, Assert.Single(await Entra.ListClaimsMappingPoliciesAsync(spId, Ct)).Id);
    }

    [Fact]
    public async Task Lists_users_groups_and_members_across_pages()
    {
        var users = await Entra.ListUsersAsync(cancellationToken: Ct);
        Assert.Equal(7, users.Count);
        Assert.Contains(users, u => u is { DisplayName: "Patti Fernandez", AccountEnabled: false });

        var matching = await Entra.ListUsersAsync("di", Ct);
        Assert.Equal("diego.siciliani@contoso.example", Assert.Single(matching).UserPrincipalName);

        var groups = await Entra.ListGroupsAsync("AWS", Ct);
        Assert.Equal(["AWS Administrators", "AWS Read-Only"], groups.Select(g => g.DisplayName).ToArray());
        var members = await Entra.ListGroupMembersAsync(ReadOnlyGroup, Ct);
        Assert.Equal(["Isaiah Langer", "Patti Fernandez"], members.Select(m => m.DisplayName).Order().ToArray());
    }

    [Fact]
    public async Task Graph_errors_surface_as_typed_exceptions_and_missing_objects_as_null()
    {
        Assert.Null(await Entra.GetServicePrincipalAsync(Guid.NewGuid().ToString(), Ct));
        var missing = await Assert.ThrowsAsync<EntraServiceException>(() => Entra.SetSamlSingleSignOnAsync(Guid.NewGuid().ToString(), Ct));
        Assert.Equal("Request_ResourceNotFound", missing.Code);
        Assert.True(missing.IsNotFound);
    }
}

/// <summary>Authentication failures reach the caller typed, not as SDK internals.</summary>
public sealed class EntraConnectorAuthenticationTests(EntraConnectorFixture fixture) : IClassFixture<EntraConnectorFixture>
{
    [Fact]
    public async Task A_wrong_client_secret_surfaces_as_an_AuthenticationFailed_EntraServiceException()
    {
        var real = fixture.Host.Services.GetRequiredService<ICloudEndpointsProvider>().GetEndpoints();
        var connector = new FederationPortal.Clouds.Entra.EntraDirectoryService(
            new FixedEndpoints(real with { ClientSecret = "not-the-secret" }),
            fixture.Host.Services.GetRequiredService<FederationPortal.Clouds.Entra.GraphServiceClientFactory>(),
            fixture.Host.Services.GetRequiredService<IHttpClientFactory>(),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<FederationPortal.Clouds.Entra.EntraDirectoryService>.Instance);

        var failure = await Assert.ThrowsAsync<EntraServiceException>(() => connector.ListUsersAsync(cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("AuthenticationFailed", failure.Code);
        Assert.Equal(401, failure.StatusCode);
        Assert.Contains("AADSTS7000215", failure.Message);
        Assert.DoesNotContain("not-the-secret", failure.ToString());
    }

    private sealed class FixedEndpoints(CloudEndpoints endpoints) : ICloudEndpointsProvider
    {
        public CloudEndpoints GetEndpoints() => endpoints;
    }
}
