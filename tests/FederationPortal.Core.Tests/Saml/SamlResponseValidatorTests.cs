using System.Diagnostics;
using System.Text;
using System.Xml;
using FederationPortal.Core.Saml;
using FederationPortal.Tests.Saml;
using Microsoft.Extensions.Time.Testing;

namespace FederationPortal.Core.Tests.Saml;

public sealed class SamlResponseValidatorTests : IDisposable
{
    private const string RoleArn = "arn:aws:iam::111122223333:role/EntraAdmins";
    private const string ProviderArn = "arn:aws:iam::111122223333:saml-provider/Entra";
    private readonly TestIdentityProvider idp = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));

    private SamlMetadata Metadata => SamlMetadataParser.Parse(idp.Metadata()).Metadata!;

    private TestSamlResponse Valid => new() { Roles = [$"{RoleArn},{ProviderArn}"], Now = clock.GetUtcNow() };

    private SamlValidationResult Validate(string response) => new SamlResponseValidator(clock).Validate(response, Metadata);

    public void Dispose() => idp.Dispose();

    [Fact]
    public void A_signed_Entra_shaped_response_is_valid_and_its_details_are_read()
    {
        var result = Validate(idp.Response(Valid with { Roles = [$"{ProviderArn},{RoleArn}"] }));

        Assert.Empty(result.Failures);
        Assert.Equal(idp.EntityId, result.Details.Issuer);
        Assert.Equal("alice@contoso.example", result.Details.NameId);
        Assert.Equal(SamlResponseValidator.AwsSignInUrl, result.Details.Recipient);
        Assert.Equal([new SamlRoleValue(RoleArn, ProviderArn)], result.Details.Roles);
        Assert.Equal(3600, result.Details.SessionDuration);
        Assert.True(result.Details.AssertionSigned);
    }

    [Fact]
    public void A_response_signed_only_at_the_Response_level_is_valid()
        => Assert.Empty(Validate(idp.Response(Valid with { SignAssertion = false, SignResponse = true })).Failures);

    [Fact]
    public void A_tampered_assertion_fails_the_signature()
    {
        var document = idp.ResponseDocument(Valid);
        var nameId = (XmlElement)document.GetElementsByTagName("NameID", TestIdentityProvider.Assertion)[0]!;
        nameId.InnerText = "mallory@contoso.example";

        Assert.True(Validate(TestIdentityProvider.Encode(document)).Broke(SamlRule.SignatureInvalid));
    }

    [Fact]
    public void A_response_signed_by_another_key_fails_the_signature()
    {
        using var other = TestIdentityProvider.CreateCertificate();
        Assert.True(Validate(idp.Response(Valid with { SignWith = other })).Broke(SamlRule.SignatureInvalid));
    }

    [Fact]
    public void An_unsigned_response_is_refused()
        => Assert.True(Validate(idp.Response(Valid with { SignAssertion = false })).Broke(SamlRule.SignatureMissing));

    [Fact]
    public void Signature_wrapping_with_a_second_assertion_is_refused()
    {
        // XSW: the genuinely signed assertion is kept (moved into Extensions) and an evil copy is put where it is read.
        var document = idp.ResponseDocument(Valid);
        var signed = (XmlElement)document.GetElementsByTagName("Assertion", TestIdentityProvider.Assertion)[0]!;
        var evil = (XmlElement)signed.CloneNode(deep: true);
        evil.SetAttribute("ID", "_evil");
        evil.GetElementsByTagName("NameID", TestIdentityProvider.Assertion)[0]!.InnerText = "root@contoso.example";
        var extensions = document.CreateElement("samlp", "Extensions", TestIdentityProvider.Protocol);
        document.DocumentElement!.ReplaceChild(evil, signed);
        extensions.AppendChild(signed);
        document.DocumentElement.InsertBefore(extensions, evil);

        var result = Validate(TestIdentityProvider.Encode(document));

        Assert.False(result.IsValid);
        Assert.True(result.Broke(SamlRule.AssertionCount) || result.Broke(SamlRule.SignatureWrapping));
    }

    [Theory]
    [MemberData(nameof(SignatureWrapping.Variants), MemberType = typeof(SignatureWrapping))]
    public void Each_classic_signature_wrapping_variant_is_refused_as_wrapping(int variant)
    {
        var document = idp.ResponseDocument(Valid with { SignAssertion = !SignatureWrapping.WrapsTheResponse(variant), SignResponse = SignatureWrapping.WrapsTheResponse(variant) });
        Assert.True(Validate(TestIdentityProvider.Encode(document)).IsValid, "the genuine response is valid before it is wrapped");

        SignatureWrapping.Apply(document, variant);
        var result = Validate(TestIdentityProvider.Encode(document));

        Assert.Contains(SignatureWrapping.EvilUser, document.OuterXml, StringComparison.Ordinal);
        var failure = Assert.Single(result.Failures);
        Assert.True(failure.Rule == SamlRule.SignatureWrapping, $"XSW{variant}: refused for {failure.Rule}: {failure.Message}");
        Assert.StartsWith("Signature wrapping: ", failure.Message, StringComparison.Ordinal);
        Assert.NotEqual(SignatureWrapping.EvilUser, result.Details.NameId);
    }

    [Fact]
    public void A_signature_whose_reference_points_at_another_element_is_wrapping()
    {
        // The Response's valid signature (over the Response) is moved into the Assertion: it verifies, but not for the Assertion.
        var document = idp.ResponseDocument(Valid with { SignAssertion = false, SignResponse = true });
        var signature = (XmlElement)document.GetElementsByTagName("Signature", "http://www.w3.org/2000/09/xmldsig#")[0]!;
        var assertion = (XmlElement)document.GetElementsByTagName("Assertion", TestIdentityProvider.Assertion)[0]!;
        signature.ParentNode!.RemoveChild(signature);
        assertion.InsertAfter(signature, assertion.FirstChild);

        Assert.True(Validate(TestIdentityProvider.Encode(document)).Broke(SamlRule.SignatureWrapping));
    }

    [Theory]
    [InlineData("NameID")]
    [InlineData("AttributeValue")]
    public void A_comment_injected_into_a_signed_identity_value_is_refused_though_the_signature_still_verifies(string element)
    {
        // admin@contoso.example<!---->.evil.example: exclusive c14n drops the comment, so the signature stays valid.
        var document = idp.ResponseDocument(Valid with { NameId = "admin@contoso.example.evil.example", SessionName = "admin@contoso.example.evil.example" });
        var target = document.GetElementsByTagName(element, TestIdentityProvider.Assertion).Cast<XmlElement>()
            .First(e => e.InnerText.Contains("admin@contoso.example.evil.example", StringComparison.Ordinal));
        target.InnerXml = string.Empty;
        target.AppendChild(document.CreateTextNode("admin@contoso.example"));
        target.AppendChild(document.CreateComment(""));
        target.AppendChild(document.CreateTextNode(".evil.example"));

        var result = Validate(TestIdentityProvider.Encode(document));

        Assert.False(result.Broke(SamlRule.SignatureInvalid), string.Join("; ", result.Failures.Select(f => f.Message)));
        Assert.False(result.Broke(SamlRule.SignatureWrapping));
        var failure = Assert.Single(result.Failures, f => f.Rule == SamlRule.CommentInjection);
        Assert.Contains("'admin@contoso.example'", failure.Message, StringComparison.Ordinal);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void A_genuine_response_has_no_comment_injection_finding()
        => Assert.DoesNotContain(Validate(idp.Response(Valid)).Failures, f => f.Rule == SamlRule.CommentInjection);

    [Fact]
    public void A_DTD_is_refused_before_anything_is_expanded()
    {
        var xml = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>""";
        Assert.True(Validate(Convert.ToBase64String(Encoding.UTF8.GetBytes(xml))).Broke(SamlRule.Xml));
    }

    [Fact]
    public void Wrong_issuer_audience_and_recipient_are_each_named()
    {
        var result = Validate(idp.Response(Valid with { Issuer = "https://evil.example/", Audience = "urn:other", Recipient = "https://other.example/saml" }));

        Assert.True(result.Broke(SamlRule.Issuer));
        Assert.True(result.Broke(SamlRule.Audience));
        Assert.True(result.Broke(SamlRule.Recipient));
    }

    [Fact]
    public void Time_window_allows_five_minutes_of_skew_and_no_more()
    {
        var response = idp.Response(Valid);
        clock.Advance(TimeSpan.FromMinutes(60 + 4));
        Assert.False(Validate(response).Broke(SamlRule.Expired));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(Validate(response).Broke(SamlRule.Expired));
    }

    [Fact]
    public void An_assertion_from_the_future_is_not_yet_valid()
        => Assert.True(Validate(idp.Response(Valid with { NotBeforeOffset = TimeSpan.FromMinutes(10) })).Broke(SamlRule.NotYetValid));

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/EntraAdmins", SamlRule.RoleAttribute)]
    [InlineData("", SamlRule.RoleAttribute)]
    public void A_malformed_role_value_is_named(string value, SamlRule rule)
        => Assert.True(Validate(idp.Response(Valid with { Roles = value.Length == 0 ? [] : [value] })).Broke(rule));

    [Theory]
    [InlineData("a")]
    [InlineData("alice smith")]
    public void A_bad_session_name_is_named(string name)
        => Assert.True(Validate(idp.Response(Valid with { SessionName = name })).Broke(SamlRule.RoleSessionName));

    [Fact]
    public void A_session_duration_out_of_range_is_named()
        => Assert.True(Validate(idp.Response(Valid with { SessionDuration = 60 })).Broke(SamlRule.SessionDuration));

    [Fact]
    public void Xmlsec1_independently_verifies_the_test_assertion_signature()
    {
        if (!File.Exists("/usr/bin/xmlsec1"))
        {
            Assert.Skip("xmlsec1 is not installed (/usr/bin/xmlsec1); scripts/test.sh installs it.");
        }

        var directory = Directory.CreateTempSubdirectory("fp-xmlsec");
        try
        {
            var document = idp.ResponseDocument(Valid);
            var assertionId = ((XmlElement)document.GetElementsByTagName("Assertion", TestIdentityProvider.Assertion)[0]!).GetAttribute("ID");
            var responsePath = Path.Combine(directory.FullName, "response.xml");
            var certificatePath = Path.Combine(directory.FullName, "signer.pem");
            File.WriteAllText(responsePath, document.OuterXml);
            File.WriteAllText(certificatePath, idp.Certificate.ExportCertificatePem());

            var (exit, output) = Run("/usr/bin/xmlsec1", "--verify", "--enabled-key-data", "x509", "--pubkey-cert-pem", certificatePath,
                "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", "--node-id", assertionId, responsePath);
            Assert.True(exit == 0, output);
            Assert.Contains("OK", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static (int ExitCode, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit(TimeSpan.FromSeconds(30));
        return (process.ExitCode, stdout.Result + stderr);
    }
}
