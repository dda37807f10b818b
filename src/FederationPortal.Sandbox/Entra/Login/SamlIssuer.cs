using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using FederationPortal.Sandbox.Entra.Graph;
using FederationPortal.Sandbox.People;

namespace FederationPortal.Sandbox.Entra.Login;

/// <summary>
/// Writes what Entra's SAML endpoints produce: the app's federation metadata (an enveloped-signed EntityDescriptor
/// shaped like the real one) and the SAML Response a sign-in posts to the app (assertion signed RSA-SHA256 with
/// exclusive c14n, like Entra's default "Sign SAML assertion").
/// </summary>
internal static class SamlIssuer
{
    public const string MetadataNs = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
    private const string DsigNs = SignedXml.XmlDsigNamespaceUrl;
    private const string FedNs = "http://docs.oasis-open.org/wsfed/federation/200706";
    private const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";
    private const string WsaNs = "http://www.w3.org/2005/08/addressing";
    private const string AuthNs = "http://docs.oasis-open.org/wsfed/authorization/200706";

    public static string StsIssuer(string tenantId) => $"https://sts.windows.net/{tenantId}/";

    /// <summary>UTF-8 without BOM, as AWS requires of metadata.</summary>
    public static byte[] ToUtf8(XmlDocument document)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false }))
        {
            document.DocumentElement!.WriteTo(writer);
        }

        return new UTF8Encoding(false).GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + builder);
    }

    public static XmlDocument Metadata(string tenantId, string loginBase, X509Certificate2 signingCertificate)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        var id = "_" + Guid.NewGuid();
        var saml2Url = $"{loginBase}/{tenantId}/saml2";
        var wsfedUrl = $"{loginBase}/{tenantId}/wsfed";
        var certificate = Convert.ToBase64String(signingCertificate.RawData);

        var root = document.CreateElement("EntityDescriptor", MetadataNs);
        root.SetAttribute("ID", id);
        root.SetAttribute("entityID", StsIssuer(tenantId));
        document.AppendChild(root);

        XmlElement KeyDescriptor()
        {
            var descriptor = document.CreateElement("KeyDescriptor", MetadataNs);
            descriptor.SetAttribute("use", "signing");
            var keyInfo = document.CreateElement("KeyInfo", DsigNs);
            var data = document.CreateElement("X509Data", DsigNs);
            var cert = document.CreateElement("X509Certificate", DsigNs);
            cert.InnerText = certificate;
            data.AppendChild(cert);
            keyInfo.AppendChild(data);
            descriptor.AppendChild(keyInfo);
            return descriptor;
        }

        XmlElement EndpointReference(string parentName, string address)
        {
            var parent = document.CreateElement("fed", parentName, FedNs);
            var reference = document.CreateElement("wsa", "EndpointReference", WsaNs);
            var addressElement = document.CreateElement("wsa", "Address", WsaNs);
            addressElement.InnerText = address;
            reference.AppendChild(addressElement);
            parent.AppendChild(reference);
            return parent;
        }

        XmlElement RoleDescriptor(string type)
        {
            var descriptor = document.CreateElement("RoleDescriptor", MetadataNs);
            var xsiType = document.CreateAttribute("xsi", "type", XsiNs);
            xsiType.Value = type;
            descriptor.Attributes.Append(xsiType);
            descriptor.SetAttribute("protocolSupportEnumeration", FedNs);
            descriptor.SetAttribute("xmlns:fed", FedNs);
            descriptor.AppendChild(KeyDescriptor());
            return descriptor;
        }

        var sts = RoleDescriptor("fed:SecurityTokenServiceType");
        var offered = document.CreateElement("fed", "ClaimTypesOffered", FedNs);
        foreach (var (uri, name) in new[]
                 {
                     ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "Name"),
                     ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier", "Subject"),
                     ("http://schemas.microsoft.com/identity/claims/objectidentifier", "ObjectIdentifier"),
                     ("http://schemas.microsoft.com/identity/claims/tenantid", "TenantId"),
                     ("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "Role Claim"),
                 })
        {
            var claim = document.CreateElement("auth", "ClaimType", AuthNs);
            claim.SetAttribute("Uri", uri);
            var display = document.CreateElement("auth", "DisplayName", AuthNs);
            display.InnerText = name;
            claim.AppendChild(display);
            offered.AppendChild(claim);
        }

        sts.AppendChild(offered);
        sts.AppendChild(EndpointReference("SecurityTokenServiceEndpoint", wsfedUrl));
        sts.AppendChild(EndpointReference("PassiveRequestorEndpoint", wsfedUrl));
        root.AppendChild(sts);

        var application = RoleDescriptor("fed:ApplicationServiceType");
        application.AppendChild(EndpointReference("TargetScopes", StsIssuer(tenantId)));
        application.AppendChild(EndpointReference("ApplicationServiceEndpoint", wsfedUrl));
        application.AppendChild(EndpointReference("PassiveRequestorEndpoint", wsfedUrl));
        root.AppendChild(application);

        var idp = document.CreateElement("IDPSSODescriptor", MetadataNs);
        idp.SetAttribute("protocolSupportEnumeration", "urn:oasis:names:tc:SAML:2.0:protocol");
        idp.AppendChild(KeyDescriptor());
        foreach (var (name, binding) in new[]
                 {
                     ("SingleLogoutService", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"),
                     ("SingleSignOnService", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"),
                     ("SingleSignOnService", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"),
                 })
        {
            var endpoint = document.CreateElement(name, MetadataNs);
            endpoint.SetAttribute("Binding", binding);
            endpoint.SetAttribute("Location", saml2Url);
            idp.AppendChild(endpoint);
        }

        root.AppendChild(idp);
        var signature = Sign(document, root, id, signingCertificate);
        root.PrependChild(signature);
        return document;
    }

    /// <summary>The claims a sign-in carries, already resolved from the user, the app and its claims mapping policy.</summary>
    public sealed record Claims(string NameId, IReadOnlyList<(string Name, IReadOnlyList<string> Values)> Attributes);

    public static XmlDocument Response(
        string tenantId, string destination, string audience, string? inResponseTo, Claims claims, DateTimeOffset now, X509Certificate2 signingCertificate)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        string Instant(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var issuer = StsIssuer(tenantId);
        var assertionId = "_" + Guid.NewGuid();

        var response = document.CreateElement("samlp", "Response", ProtocolNs);
        response.SetAttribute("ID", "_" + Guid.NewGuid());
        response.SetAttribute("Version", "2.0");
        response.SetAttribute("IssueInstant", Instant(now));
        response.SetAttribute("Destination", destination);
        if (inResponseTo is not null)
        {
            response.SetAttribute("InResponseTo", inResponseTo);
        }

        document.AppendChild(response);
        var responseIssuer = document.CreateElement("Issuer", AssertionNs);
        responseIssuer.InnerText = issuer;
        response.AppendChild(responseIssuer);
        var status = document.CreateElement("samlp", "Status", ProtocolNs);
        var statusCode = document.CreateElement("samlp", "StatusCode", ProtocolNs);
        statusCode.SetAttribute("Value", "urn:oasis:names:tc:SAML:2.0:status:Success");
        status.AppendChild(statusCode);
        response.AppendChild(status);

        var assertion = document.CreateElement("Assertion", AssertionNs);
        assertion.SetAttribute("ID", assertionId);
        assertion.SetAttribute("IssueInstant", Instant(now));
        assertion.SetAttribute("Version", "2.0");
        response.AppendChild(assertion);

        XmlElement Add(XmlElement parent, string name, string? text = null)
        {
            var element = document.CreateElement(name, AssertionNs);
            if (text is not null)
            {
                element.InnerText = text;
            }

            parent.AppendChild(element);
            return element;
        }

        Add(assertion, "Issuer", issuer);
        var subject = Add(assertion, "Subject");
        Add(subject, "NameID", claims.NameId).SetAttribute("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
        var confirmation = Add(subject, "SubjectConfirmation");
        confirmation.SetAttribute("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer");
        var confirmationData = Add(confirmation, "SubjectConfirmationData");
        if (inResponseTo is not null)
        {
            confirmationData.SetAttribute("InResponseTo", inResponseTo);
        }

        confirmationData.SetAttribute("NotOnOrAfter", Instant(now.AddMinutes(5)));
        confirmationData.SetAttribute("Recipient", destination);

        var conditions = Add(assertion, "Conditions");
        conditions.SetAttribute("NotBefore", Instant(now.AddMinutes(-5)));
        conditions.SetAttribute("NotOnOrAfter", Instant(now.AddHours(1)));
        Add(Add(conditions, "AudienceRestriction"), "Audience", audience);

        var attributes = Add(assertion, "AttributeStatement");
        foreach (var (name, values) in claims.Attributes)
        {
            var attribute = Add(attributes, "Attribute");
            attribute.SetAttribute("Name", name);
            foreach (var value in values)
            {
                Add(attribute, "AttributeValue", value);
            }
        }

        var authn = Add(assertion, "AuthnStatement");
        authn.SetAttribute("AuthnInstant", Instant(now));
        authn.SetAttribute("SessionIndex", assertionId);
        Add(Add(authn, "AuthnContext"), "AuthnContextClassRef", "urn:oasis:names:tc:SAML:2.0:ac:classes:Password");

        var signature = Sign(document, assertion, assertionId, signingCertificate);
        assertion.InsertAfter(signature, assertion.FirstChild);
        return document;
    }

    public static IReadOnlyList<(string Name, IReadOnlyList<string> Values)> ResolveAttributes(
        string tenantId, SandboxUser user, IReadOnlyList<string> roleValues, ClaimsMappingDefinition? policy)
    {
        var attributes = new List<(string, IReadOnlyList<string>)>();
        if (policy is null || policy.IncludeBasicClaimSet)
        {
            attributes.Add(("http://schemas.microsoft.com/identity/claims/tenantid", [tenantId]));
            attributes.Add(("http://schemas.microsoft.com/identity/claims/objectidentifier", [user.Id]));
            attributes.Add(("http://schemas.microsoft.com/identity/claims/displayname", [user.DisplayName]));
            attributes.Add(("http://schemas.microsoft.com/identity/claims/identityprovider", [StsIssuer(tenantId)]));
            attributes.Add(("http://schemas.microsoft.com/claims/authnmethodsreferences", ["http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password"]));
            attributes.Add(("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", [user.UserPrincipalName]));
        }

        foreach (var rule in policy?.Claims ?? [])
        {
            if (rule.SamlClaimType is null)
            {
                continue;
            }

            IReadOnlyList<string> values = rule.Value is not null ? [rule.Value] : rule.Source == "user" ? UserAttribute(user, rule.AttributeId!, roleValues) : [];
            if (values.Count > 0)
            {
                attributes.RemoveAll(a => a.Item1 == rule.SamlClaimType);
                attributes.Add((rule.SamlClaimType, values));
            }
        }

        return attributes;
    }

    private static IReadOnlyList<string> UserAttribute(SandboxUser user, string id, IReadOnlyList<string> roleValues) => id switch
    {
        "assignedroles" => roleValues,
        "userprincipalname" => [user.UserPrincipalName],
        "mail" => user.Mail is null ? [] : [user.Mail],
        "displayname" => [user.DisplayName],
        "objectid" => [user.Id],
        "jobtitle" => user.JobTitle is null ? [] : [user.JobTitle],
        "givenname" => [user.DisplayName.Split(' ')[0]],
        "surname" => user.DisplayName.Contains(' ', StringComparison.Ordinal) ? [user.DisplayName[(user.DisplayName.IndexOf(' ', StringComparison.Ordinal) + 1)..]] : [],
        "accountenabled" => [user.AccountEnabled ? "true" : "false"],
        _ => [],
    };

    private static XmlElement Sign(XmlDocument document, XmlElement element, string id, X509Certificate2 certificate)
    {
        using var key = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The signing certificate has no RSA private key.");
        var signedXml = new SignedXml(element) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + id) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(certificate));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();
        return (XmlElement)document.ImportNode(signedXml.GetXml(), true);
    }
}
