using System.Diagnostics;
using System.Text;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Saml;
using FederationPortal.Tests.Saml;
using Microsoft.Extensions.Time.Testing;

namespace FederationPortal.Core.Tests.Federation;

/// <summary>Hostile uploads and pasted responses get a clear refusal, never an exception, a file read or a memory blow-up.</summary>
public sealed class HostileInputTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private static string Padded(string xml) => xml + "<!--" + new string('x', 1200) + "-->";

    public static TheoryData<string, string> HostileMetadata() => new()
    {
        {
            "xxe",
            Padded("""<?xml version="1.0"?><!DOCTYPE md [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&xxe;"/>""")
        },
        {
            "billion-laughs",
            Padded("""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&lol9;"/>""")
        },
        { "wrong-root", Padded("""<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>Sign in</body></html>""") },
        { "not-xml", Padded("This is not XML at all, it is a pasted web page.") },
        { "too-short", """<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>""" },
    };

    [Theory]
    [MemberData(nameof(HostileMetadata))]
    public void Hostile_metadata_uploads_are_refused_with_a_reason(string kind, string document)
    {
        var watch = Stopwatch.StartNew();
        var result = MetadataUpload.Check(Encoding.UTF8.GetBytes(document), null, Now);
        Assert.False(result.Accepted, kind);
        Assert.NotEmpty(result.Problems);
        Assert.All(result.Problems, p => Assert.DoesNotContain("root:x:0:0", p));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{kind} took {watch.Elapsed}");
    }

    [Fact]
    public void An_over_size_upload_is_refused_before_it_is_parsed()
    {
        var huge = new byte[SamlMetadataParser.MaximumLength + 10];
        Array.Fill(huge, (byte)' ');
        var result = MetadataUpload.Check(huge, null, Now);
        Assert.False(result.Accepted);
        Assert.Contains(result.Problems, p => p.Contains("10,000,000", StringComparison.Ordinal) || p.Contains("10000000", StringComparison.Ordinal) || p.Contains("long", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("PD94bWwgdmVyc2lvbj0iMS4wIj8+PCFET0NUWVBFIHIgWzwhRU5USVRZIHggU1lTVEVNICJmaWxlOi8vL2V0Yy9wYXNzd2QiPl0+PHI+Jng7PC9yPg==")] // DOCTYPE with an external entity
    [InlineData("not base64 at all!")]
    [InlineData("PGh0bWw+PC9odG1sPg==")] // <html></html>
    public void Hostile_pasted_saml_responses_break_named_rules_instead_of_throwing(string pasted)
    {
        using var idp = new TestIdentityProvider();
        var metadata = SamlMetadataParser.Parse(idp.Metadata()).Metadata!;
        var result = new SamlResponseValidator(new FakeTimeProvider(Now)).Validate(pasted, metadata);
        Assert.False(result.IsValid);
        Assert.Contains(result.Failures, f => f.Rule is SamlRule.Base64 or SamlRule.Xml or SamlRule.ResponseElement);
    }
}
