using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Saml;

namespace FederationPortal.Sandbox.Tests.Entra;

/// <summary>Federation metadata and SAML sign-in of the sandbox tenant, verified by .NET and by xmlsec1.</summary>
public sealed partial class SamlIssuerTests(EntraSandboxFixture fixture) : IClassFixture<EntraSandboxFixture>
{
    private const string AdminsGroup = "7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c01";
    private const string Diego = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04";
    private const string Alex = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f03";
    private const string RoleArn = "arn:aws:iam::111122223333:role/Admin";
    private const string ProviderArn = "arn:aws:iam::111122223333:saml-provider/EntraID";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metadata_is_signed_with_the_apps_active_certificate_and_verifies_with_dotnet_and_xmlsec1()
    {
        var app = await fixture.CreateSamlAppAsync("AWS Metadata", "https://signin.aws.amazon.com/saml#11", Ct);
        using var client = fixture.Host.CreateRealClient();
        var bytes = await client.GetByteArrayAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/federationmetadata/2007-06/federationmetadata.xml?appid={app.AppId}", Ct);
        Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "metadata must be UTF-8 without BOM");
        var xml = Encoding.UTF8.GetString(bytes);

        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        var root = document.DocumentElement!;
        Assert.Equal("EntityDescriptor", root.LocalName);
        Assert.Equal($"https://sts.windows.net/{EntraSandboxFixture.TenantId}/", root.GetAttribute("entityID"));
        Assert.StartsWith("_", root.GetAttribute("ID"));
        var namespaces = new XmlNamespaceManager(document.NameTable);
        namespaces.AddNamespace("md", "urn:oasis:names:tc:SAML:2.0:metadata");
        namespaces.AddNamespace("ds", SignedXml.XmlDsigNamespaceUrl);
        var idpCertificate = root.SelectSingleNode("md:IDPSSODescriptor/md:KeyDescriptor[@use='signing']/ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces)!.InnerText;
        Assert.Equal(Convert.ToBase64String(app.Certificate.PublicCertificate), idpCertificate);
        var sso = root.SelectNodes("md:IDPSSODescriptor/md:SingleSignOnService/@Location", namespaces)!.Cast<XmlAttribute>().Select(a => a.Value).Distinct().ToList();
        Assert.Equal($"{fixture.Host.BaseAddress}/sandbox/login/{EntraSandboxFixture.TenantId}/saml2", Assert.Single(sso));

        // .NET: the enveloped signature over the whole document, with the certificate Graph returned.
        var signedXml = new SignedXml(document);
        signedXml.LoadXml((XmlElement)root.SelectSingleNode("ds:Signature", namespaces)!);
        Assert.Equal("#" + root.GetAttribute("ID"), ((Reference)signedXml.SignedInfo!.References[0]!).Uri);
        using var certificate = X509CertificateLoader.LoadCertificate(app.Certificate.PublicCertificate);
        Assert.True(signedXml.CheckSignature(certificate, verifySignatureOnly: true));

        // xmlsec1, independently.
        var (exitCode, output) = XmlSec.Verify(xml, "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", app.Certificate.PublicCertificate);
        Assert.True(exitCode == 0, output);

        // A tampered document fails both.
        var tampered = xml.Replace("/saml2\"", "/saml3\"", StringComparison.Ordinal);
        Assert.NotEqual(0, XmlSec.Verify(tampered, "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", app.Certificate.PublicCertificate).ExitCode);
        Assert.False(FederationMetadata.Parse(Encoding.UTF8.GetBytes(tampered), DateTimeOffset.UtcNow).SignatureValid);
    }

    [Fact]
    public async Task Unassigned_user_gets_AADSTS50105_and_no_SAML_response()
    {
        var app = await fixture.CreateSamlAppAsync("AWS Unassigned", "https://signin.aws.amazon.com/saml#12", Ct);
        using var client = fixture.Host.CreateRealClient();
        using var response = await client.GetAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/saml2?appid={app.AppId}&user=alex.wilber@contoso.example", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("AADSTS50105", body);
        Assert.DoesNotContain("name=\"SAMLResponse\"", body);
    }

    [Fact]
    public async Task Group_member_gets_a_signed_response_AWS_accepts_with_the_roles_of_the_group()
    {
        var app = await fixture.CreateSamlAppAsync("AWS SignIn", "https://signin.aws.amazon.com/saml#13", Ct);
        var roleId = Guid.NewGuid();
        var roles = (await fixture.Entra.GetAppRolesAsync(app.ServicePrincipalId, Ct)).Append(EntraAppRole.ForAwsRole(roleId, RoleArn, ProviderArn)).ToList();
        await fixture.Entra.SetAppRolesAsync(app.ServicePrincipalId, roles, Ct);
        await fixture.Entra.AssignAppRoleAsync(app.ServicePrincipalId, AdminsGroup, roleId, Ct);

        using var client = fixture.Host.CreateRealClient();
        using var response = await client.GetAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/saml2?appid={app.AppId}&user={Diego}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("action=\"https://signin.aws.amazon.com/saml\"", html);
        var encoded = SamlResponseField().Match(html).Groups[1].Value;
        var xml = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));

        // AWS's rules, as the shared validator (used by the sandbox STS) applies them.
        using var certificate = X509CertificateLoader.LoadCertificate(app.Certificate.PublicCertificate);
        var result = new SamlResponseValidator(TimeProvider.System).Validate(encoded, $"https://sts.windows.net/{EntraSandboxFixture.TenantId}/", [certificate]);
        Assert.True(result.IsValid, string.Join("; ", result.Failures.Select(f => $"{f.Rule}: {f.Message}")));
        Assert.True(result.Details.AssertionSigned);
        Assert.Equal(new SamlRoleValue(RoleArn, ProviderArn), Assert.Single(result.Details.Roles));
        Assert.Equal("diego.siciliani@contoso.example", result.Details.RoleSessionName);
        Assert.Equal(7200, result.Details.SessionDuration);
        Assert.Equal("https://signin.aws.amazon.com/saml", result.Details.Recipient);
        Assert.Equal(["https://signin.aws.amazon.com/saml"], result.Details.Audiences);

        // xmlsec1 verifies the assertion's signature independently.
        var (exitCode, output) = XmlSec.Verify(xml, "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", app.Certificate.PublicCertificate);
        Assert.True(exitCode == 0, output);

        // The sign-in is logged; a rejected one too.
        using var rejected = await client.GetAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/saml2?appid={app.AppId}&user={Alex}", Ct);
        using var graph = await fixture.GraphClientAsync(Ct);
        var signIns = System.Text.Json.Nodes.JsonNode.Parse(await graph.GetStringAsync($"auditLogs/signIns?$filter=appId eq '{app.AppId}'", Ct))!["value"]!.AsArray();
        Assert.Equal([50105, 0], signIns.Select(s => s!["status"]!["errorCode"]!.GetValue<int>()).Order().Reverse().ToArray());
    }

    [Fact]
    public async Task A_disabled_user_gets_AADSTS50057_even_when_assigned()
    {
        var app = await fixture.CreateSamlAppAsync("AWS Disabled", "https://signin.aws.amazon.com/saml#15", Ct);
        await fixture.Entra.AssignAppRoleAsync(app.ServicePrincipalId, "7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c02", Guid.Parse("18d14569-c3bd-439b-9a66-3a2aee01d14f"), Ct);
        using var client = fixture.Host.CreateRealClient();
        using var response = await client.GetAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/saml2?appid={app.AppId}&user=patti.fernandez@contoso.example", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("AADSTS50057", body);
        Assert.DoesNotContain("name=\"SAMLResponse\"", body);
    }

    [Fact]
    public async Task An_app_not_switched_to_SAML_issues_no_response()
    {
        var created = await fixture.Entra.InstantiateAwsAppAsync("AWS NotSaml", Ct);
        using var client = fixture.Host.CreateRealClient();
        using var response = await client.GetAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/saml2?appid={created.Application.AppId}&user={Diego}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("name=\"SAMLResponse\"", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Signing_certificate_rollover_changes_the_metadata_and_the_signature()
    {
        var app = await fixture.CreateSamlAppAsync("AWS Rollover", "https://signin.aws.amazon.com/saml#14", Ct);
        var second = await fixture.Entra.AddTokenSigningCertificateAsync(app.ServicePrincipalId, "CN=AWS Rollover 2", DateTimeOffset.UtcNow.AddYears(2), Ct);
        var before = await fixture.Entra.GetFederationMetadataAsync(app.AppId, Ct);
        Assert.Equal(app.Certificate.Thumbprint, Assert.Single(before.SigningCertificates).Thumbprint);

        await fixture.Entra.SetPreferredTokenSigningThumbprintAsync(app.ServicePrincipalId, second.Thumbprint, Ct);
        var after = await fixture.Entra.GetFederationMetadataAsync(app.AppId, Ct);
        Assert.Equal(second.Thumbprint, Assert.Single(after.SigningCertificates).Thumbprint);
        Assert.True(after.SignatureValid);
        Assert.Equal(0, XmlSec.Verify(after.Xml, "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", second.PublicCertificate).ExitCode);
        Assert.NotEqual(0, XmlSec.Verify(after.Xml, "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", app.Certificate.PublicCertificate).ExitCode);
    }

    [GeneratedRegex("name=\"SAMLResponse\" value=\"([^\"]+)\"")]
    private static partial Regex SamlResponseField();
}
