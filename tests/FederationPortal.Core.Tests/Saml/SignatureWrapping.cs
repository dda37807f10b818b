using System.Xml;

namespace FederationPortal.Tests.Saml;

/// <summary>
/// The eight XML Signature Wrapping variants of Somorovsky et al., "On Breaking SAML: Be Whoever You Want to Be"
/// (USENIX Security 2012), applied to a genuinely signed response: each keeps the signed element and puts an evil,
/// unsigned copy (naming <see cref="EvilUser"/>) where a careless parser reads it.
/// </summary>
public static class SignatureWrapping
{
    public const string EvilUser = "root@contoso.example";

    private const string Dsig = "http://www.w3.org/2000/09/xmldsig#";

    /// <summary>XSW1 … XSW8, for a theory.</summary>
    public static TheoryData<int> Variants => [1, 2, 3, 4, 5, 6, 7, 8];

    /// <summary>XSW1 and XSW2 wrap a signed Response; XSW3–XSW8 a signed Assertion.</summary>
    public static bool WrapsTheResponse(int variant) => variant is 1 or 2;

    public static void Apply(XmlDocument document, int variant)
    {
        var response = document.DocumentElement!;
        if (WrapsTheResponse(variant))
        {
            var signature = Child(response, "Signature", Dsig);
            var original = (XmlElement)response.CloneNode(deep: true);
            original.RemoveChild(Child(original, "Signature", Dsig));
            var evil = Evil(response);
            evil.RemoveChild(Child(evil, "Signature", Dsig));
            var movedSignature = (XmlElement)document.ImportNode(signature, deep: true);
            evil.InsertAfter(movedSignature, Child(evil, "Issuer", TestIdentityProvider.Assertion));
            if (variant == 1)
            {
                // XSW1: the original Response inside the signature, in an Object.
                movedSignature.AppendChild(Object(document, original));
            }
            else
            {
                // XSW2: the original Response beside the signature, detached.
                evil.InsertBefore(original, movedSignature);
            }

            document.ReplaceChild(evil, response);
            return;
        }

        var assertion = Child(response, "Assertion", TestIdentityProvider.Assertion);
        var assertionSignature = Child(assertion, "Signature", Dsig);
        var evilAssertion = Evil(assertion);
        evilAssertion.RemoveChild(Child(evilAssertion, "Signature", Dsig));
        switch (variant)
        {
            case 3: // the evil assertion before the signed one
                response.InsertBefore(evilAssertion, assertion);
                break;
            case 4: // the signed assertion inside the evil one
                response.ReplaceChild(evilAssertion, assertion);
                evilAssertion.AppendChild(assertion);
                break;
            case 5: // the signature moved into the evil assertion; the original, unsigned, after it
                assertion.RemoveChild(assertionSignature);
                response.ReplaceChild(evilAssertion, assertion);
                evilAssertion.InsertAfter(assertionSignature, Child(evilAssertion, "Issuer", TestIdentityProvider.Assertion));
                response.AppendChild(assertion);
                break;
            case 6: // the signature in the evil assertion, the original assertion inside the signature
                assertion.RemoveChild(assertionSignature);
                response.ReplaceChild(evilAssertion, assertion);
                evilAssertion.InsertAfter(assertionSignature, Child(evilAssertion, "Issuer", TestIdentityProvider.Assertion));
                assertionSignature.AppendChild(assertion);
                break;
            case 7: // the signed assertion in samlp:Extensions, the evil one where the assertion is read
                var extensions = document.CreateElement("samlp", "Extensions", TestIdentityProvider.Protocol);
                response.ReplaceChild(evilAssertion, assertion);
                extensions.AppendChild(assertion);
                response.InsertBefore(extensions, evilAssertion);
                break;
            case 8: // the signature in the evil assertion, the original (unsigned) in an Object inside it
                assertion.RemoveChild(assertionSignature);
                response.ReplaceChild(evilAssertion, assertion);
                evilAssertion.InsertAfter(assertionSignature, Child(evilAssertion, "Issuer", TestIdentityProvider.Assertion));
                assertionSignature.AppendChild(Object(document, assertion));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(variant), variant, "XSW1–XSW8");
        }
    }

    private static XmlElement Evil(XmlElement signed)
    {
        var evil = (XmlElement)signed.CloneNode(deep: true);
        evil.SetAttribute("ID", "_evil" + signed.LocalName);
        foreach (var nameId in evil.GetElementsByTagName("NameID", TestIdentityProvider.Assertion).Cast<XmlElement>())
        {
            nameId.InnerText = EvilUser;
        }

        return evil;
    }

    private static XmlElement Object(XmlDocument document, XmlElement content)
    {
        var wrapper = document.CreateElement("ds", "Object", Dsig);
        wrapper.AppendChild(content);
        return wrapper;
    }

    private static XmlElement Child(XmlElement parent, string localName, string ns)
        => parent.ChildNodes.OfType<XmlElement>().First(e => e.LocalName == localName && e.NamespaceURI == ns);
}
