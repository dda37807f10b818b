using System.Text;
using System.Xml;
using Bunit;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Tests.Saml;
using FederationPortal.Web.Components.Pages.Environments.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Components;

/// <summary>
/// Hostile input through the pages: a pasted SAML response or an uploaded metadata file that is an attack or garbage
/// gets a clear reason on the page, and the component keeps working (no exception reaches the circuit).
/// </summary>
public sealed class HostilePageInputTests : PortalComponentTest
{
    private readonly TestIdentityProvider idp = new();
    private readonly FederationEnvironment environment = new()
    {
        Id = Guid.NewGuid(),
        Name = "Contoso",
        EntraTenantId = "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63",
        AwsAccountId = "111122223333",
        DesiredStateJson = new EnvironmentSpec().ToJson(),
    };

    public HostilePageInputTests()
    {
        Store.Items.Add(environment);
        Services.AddSingleton(PortStub<ISamlSignInSource>.Create(new() { ["get_IsAvailable"] = _ => false }));
        Services.AddSingleton(PortStub<IAwsSts>.Create([]));
        Services.AddSingleton<SignInTestService>();
        SignInAsAdmin();
    }

    protected override void Dispose(bool disposing)
    {
        idp.Dispose();
        base.Dispose(disposing);
    }

    public static TheoryData<string, string> HostileResponses() => new()
    {
        { "xxe", Convert.ToBase64String(Encoding.UTF8.GetBytes("""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>""")) },
        { "garbage", "this is not a SAML response at all, it is a pasted web page" },
        { "html", Convert.ToBase64String(Encoding.UTF8.GetBytes("<html><body>Sign in</body></html>")) },
    };

    [Theory]
    [MemberData(nameof(HostileResponses))]
    public void A_hostile_pasted_response_fails_the_check_with_a_reason_on_the_page(string kind, string pasted)
    {
        Services.AddSingleton(ProviderWithMetadata());
        var panel = Render<SignInTestPanel>(p => p.Add(s => s.EnvironmentId, environment.Id).Add(s => s.Spec, new EnvironmentSpec()).Add(s => s.People, []));

        panel.Find("#pasted-response").Change(pasted);
        panel.FindAll("button").Single(b => b.TextContent.Trim() == "Check").Click();

        panel.WaitForAssertion(() => Assert.Contains("The sign-in would fail", panel.Markup));
        Assert.NotEmpty(panel.FindAll("[data-testid=signin-steps] .mud-list-item"));
        Assert.DoesNotContain("root:x:0:0", panel.Markup);
        Assert.Contains(Audit.Events, e => e.Action == "signin-test.pasted" && e.Outcome == Core.Audit.AuditOutcome.Failure);
        _ = kind;
    }

    [Fact]
    public void A_comment_injected_name_id_is_named_on_the_page_although_its_signature_verifies()
    {
        Services.AddSingleton(ProviderWithMetadata());
        var document = idp.ResponseDocument(new TestSamlResponse
        {
            Roles = ["arn:aws:iam::111122223333:role/ReadOnly,arn:aws:iam::111122223333:saml-provider/EntraID-Contoso"],
            Now = DateTimeOffset.UtcNow,
            NameId = "admin@contoso.example.evil.example",
        });
        var nameId = (XmlElement)document.GetElementsByTagName("NameID", TestIdentityProvider.Assertion)[0]!;
        nameId.InnerXml = "admin@contoso.example<!---->.evil.example";
        var panel = Render<SignInTestPanel>(p => p.Add(s => s.EnvironmentId, environment.Id).Add(s => s.Spec, new EnvironmentSpec()).Add(s => s.People, []));

        panel.Find("#pasted-response").Change(TestIdentityProvider.Encode(document));
        panel.FindAll("button").Single(b => b.TextContent.Trim() == "Check").Click();

        panel.WaitForAssertion(() => Assert.Contains("Rule: CommentInjection", panel.Markup));
        Assert.Contains("altered this response after Entra signed it", panel.Markup);
        Assert.DoesNotContain("Rule: SignatureInvalid", panel.Markup);
    }

    [Fact]
    public void A_cloud_that_fails_during_the_check_is_a_failed_step_not_a_broken_page()
    {
        Services.AddSingleton(PortStub<IAwsIam>.Create(new()
        {
            ["GetSamlProviderAsync"] = _ => Task.FromException<IamSamlProvider?>(new AwsServiceException("ServiceUnavailable", "Service is unable to handle request.", System.Net.HttpStatusCode.ServiceUnavailable)),
        }));
        var panel = Render<SignInTestPanel>(p => p.Add(s => s.EnvironmentId, environment.Id).Add(s => s.Spec, new EnvironmentSpec()).Add(s => s.People, []));

        panel.Find("#pasted-response").Change(idp.Response(new TestSamlResponse { Roles = [], Now = DateTimeOffset.UtcNow }));
        panel.FindAll("button").Single(b => b.TextContent.Trim() == "Check").Click();

        panel.WaitForAssertion(() => Assert.Contains("The test could not run", panel.Markup));
        Assert.Contains("Service is unable to handle request.", panel.Markup);
        Assert.False(panel.FindAll("button").Single(b => b.TextContent.Trim() == "Check").HasAttribute("disabled"));
    }

    public static TheoryData<string, string> HostileMetadata() => new()
    {
        { "xxe", """<?xml version="1.0"?><!DOCTYPE md [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&xxe;"/>""" + new string(' ', 1200) },
        { "billion laughs", """<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&d;"/>""" + new string(' ', 1200) },
        { "wrong root", "<html><body>" + new string('x', 1200) + "</body></html>" },
    };

    [Theory]
    [MemberData(nameof(HostileMetadata))]
    public void A_hostile_metadata_upload_is_refused_with_a_reason_on_the_page(string kind, string document)
    {
        string? used = "unchanged";
        var panel = Render<MetadataUploadPanel>(p => p.Add(s => s.Environment, environment).Add(s => s.OnUse, (string? xml) => used = xml));

        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(document, $"{kind}.xml"));

        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=metadata-upload-refused]")));
        Assert.Contains($"{kind}.xml cannot be used", panel.Find("[data-testid=metadata-upload-refused]").TextContent);
        Assert.DoesNotContain("root:x:0:0", panel.Markup);
        Assert.Empty(panel.FindAll("[data-testid=use-metadata-file]"));
        Assert.Equal("unchanged", used);
    }

    private IAwsIam ProviderWithMetadata() => PortStub<IAwsIam>.Create(new()
    {
        ["GetSamlProviderAsync"] = args => Task.FromResult<IamSamlProvider?>(new IamSamlProvider((string)args[0]!, DateTimeOffset.UtcNow, null, idp.Metadata())),
    });
}
