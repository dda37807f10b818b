using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Xml;

namespace FederationPortal.Core.Saml;

/// <summary>The rules AWS applies to a SAML response (see docs REFERENCE "What AWS checks in a SAML response").</summary>
public enum SamlRule
{
    /// <summary>The SAMLResponse is not valid base64.</summary>
    Base64,
    /// <summary>Not well-formed XML, or it carries a DTD.</summary>
    Xml,
    /// <summary>The root is not a <c>samlp:Response</c>.</summary>
    ResponseElement,
    /// <summary>The Response's status is not Success.</summary>
    Status,
    /// <summary>Not exactly one (unencrypted) Assertion.</summary>
    AssertionCount,
    /// <summary>Neither the Response nor the Assertion is signed.</summary>
    SignatureMissing,
    /// <summary>A signature references another element than the one it signs, or IDs repeat: signature wrapping.</summary>
    SignatureWrapping,
    /// <summary>The signature does not verify with any certificate of the provider's metadata.</summary>
    SignatureInvalid,
    /// <summary>The Issuer differs from the metadata's entityID.</summary>
    Issuer,
    /// <summary>The subject has no NameID.</summary>
    NameId,
    /// <summary>Not exactly one bearer SubjectConfirmation with SubjectConfirmationData carrying NotOnOrAfter and Recipient.</summary>
    SubjectConfirmation,
    /// <summary>The Recipient is not the AWS sign-in endpoint.</summary>
    Recipient,
    /// <summary>The assertion's NotOnOrAfter has passed (beyond the clock skew).</summary>
    Expired,
    /// <summary>The assertion's NotBefore is in the future (beyond the clock skew).</summary>
    NotYetValid,
    /// <summary>No AudienceRestriction names the AWS sign-in endpoint (or urn:amazon:webservices).</summary>
    Audience,
    /// <summary>The Role attribute is missing or a value is not a role ARN and a SAML provider ARN separated by a comma.</summary>
    RoleAttribute,
    /// <summary>The RoleSessionName attribute is missing or not 2–64 characters of [\w+=,.@-].</summary>
    RoleSessionName,
    /// <summary>The SessionDuration attribute is not an integer from 900 to 43200.</summary>
    SessionDuration,
    /// <summary>
    /// A value that identifies someone (Issuer, NameID, Role, RoleSessionName) holds an XML comment, processing
    /// instruction or child element: comment injection, which the signature's canonicalization does not see.
    /// </summary>
    CommentInjection,
}

/// <summary>One rule a SAML response broke, with a message an admin can act on.</summary>
public sealed record SamlRuleFailure(SamlRule Rule, string Message);

/// <summary>A role/provider pair from the Role attribute.</summary>
public sealed record SamlRoleValue(string RoleArn, string ProviderArn);

/// <summary>What the assertion says, as far as it could be read.</summary>
public sealed record SamlAssertionDetails
{
    public string? ResponseId { get; init; }
    public string? AssertionId { get; init; }
    public string? Issuer { get; init; }
    public string? NameId { get; init; }
    public string? NameIdFormat { get; init; }
    public string? Recipient { get; init; }
    public IReadOnlyList<string> Audiences { get; init; } = [];
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? NotOnOrAfter { get; init; }
    public IReadOnlyList<SamlRoleValue> Roles { get; init; } = [];
    public string? RoleSessionName { get; init; }
    public int? SessionDuration { get; init; }
    /// <summary>The AuthnStatement's SessionNotOnOrAfter: the IdP's bound on the session AWS grants.</summary>
    public DateTimeOffset? SessionNotOnOrAfter { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public bool ResponseSigned { get; init; }
    public bool AssertionSigned { get; init; }
}

/// <summary>The verdict: every rule broken, and the details read.</summary>
public sealed record SamlValidationResult(IReadOnlyList<SamlRuleFailure> Failures, SamlAssertionDetails Details)
{
    public bool IsValid => Failures.Count == 0;

    public bool Broke(SamlRule rule) => Failures.Any(f => f.Rule == rule);
}

/// <summary>
/// Checks a base64 SAML Response as AWS does for AssumeRoleWithSAML and console sign-in, against the IAM SAML
/// provider's metadata (entityID and signing certificates). Returns every broken rule rather than the first, so the
/// portal can explain a pasted SAMLResponse. Refuses DTDs and signature wrapping.
/// </summary>
public sealed partial class SamlResponseValidator(TimeProvider timeProvider)
{
    public const string AwsSignInUrl = "https://signin.aws.amazon.com/saml";
    public const string AwsUrn = "urn:amazon:webservices";
    public const string RoleAttributeName = "https://aws.amazon.com/SAML/Attributes/Role";
    public const string RoleSessionNameAttributeName = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    public const string SessionDurationAttributeName = "https://aws.amazon.com/SAML/Attributes/SessionDuration";

    /// <summary>The clock skew AWS tolerates on the assertion's time window.</summary>
    public static TimeSpan ClockSkew { get; } = TimeSpan.FromMinutes(5);

    public SamlValidationResult Validate(string base64Response, string expectedIssuer, IReadOnlyList<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(base64Response);
        ArgumentNullException.ThrowIfNull(certificates);
        var failures = new List<SamlRuleFailure>();
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64Response.Trim());
        }
        catch (FormatException)
        {
            failures.Add(new(SamlRule.Base64, "The SAML response is not valid base64 (check that it was not URL-encoded)."));
            return new(failures, new SamlAssertionDetails());
        }

        XmlDocument document;
        try
        {
            document = SamlXml.Load(bytes);
        }
        catch (Exception e) when (e is XmlException or System.Text.DecoderFallbackException)
        {
            failures.Add(new(SamlRule.Xml, $"The SAML response is not well-formed XML (DTDs are refused): {e.Message}"));
            return new(failures, new SamlAssertionDetails());
        }

        return Validate(document, expectedIssuer, certificates, failures);
    }

    /// <summary>Validates against parsed provider metadata.</summary>
    public SamlValidationResult Validate(string base64Response, SamlMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var certificates = metadata.SigningCertificates.Select(c => c.ToCertificate()).ToList();
        try
        {
            return Validate(base64Response, metadata.EntityId, certificates);
        }
        finally
        {
            certificates.ForEach(c => c.Dispose());
        }
    }

    private SamlValidationResult Validate(XmlDocument document, string expectedIssuer, IReadOnlyList<X509Certificate2> certificates, List<SamlRuleFailure> failures)
    {
        var ns = SamlXml.Namespaces(document);
        var response = document.DocumentElement!;
        if (response.LocalName != "Response" || response.NamespaceURI != SamlXml.Protocol)
        {
            failures.Add(new(SamlRule.ResponseElement, $"The root element is <{response.Name}>, not a SAML 2.0 protocol Response."));
            return new(failures, new SamlAssertionDetails());
        }

        var status = response.SelectSingleNode("samlp:Status/samlp:StatusCode/@Value", ns)?.Value;
        if (status != SamlXml.Success)
        {
            failures.Add(new(SamlRule.Status, $"The response's status is '{status ?? "(none)"}', not Success."));
        }

        if (document.SelectNodes("//saml:EncryptedAssertion", ns)!.Count > 0)
        {
            failures.Add(new(SamlRule.AssertionCount, "The response carries an encrypted assertion; the provider has no private key to decrypt it."));
        }

        // Wrapping first: a response built around a genuinely signed element must be named for what it is, not for
        // the second assertion it usually carries.
        if (FindWrapping(document, response, ns) is { } wrapping)
        {
            failures.Add(new(SamlRule.SignatureWrapping, $"Signature wrapping: {wrapping}."));
            return new(failures, new SamlAssertionDetails { ResponseId = response.GetAttribute("ID") });
        }

        var assertions = document.SelectNodes("//saml:Assertion", ns)!.Cast<XmlElement>().ToList();
        if (assertions.Count != 1 || assertions[0].ParentNode != response)
        {
            failures.Add(new(SamlRule.AssertionCount, $"The response must contain exactly one Assertion, as a child of the Response; it contains {assertions.Count}."));
            return new(failures, new SamlAssertionDetails { ResponseId = response.GetAttribute("ID") });
        }

        var assertion = assertions[0];
        var (responseSigned, assertionSigned) = CheckSignatures(document, response, assertion, certificates, failures, ns);

        var issuer = assertion.SelectSingleNode("saml:Issuer", ns)?.InnerText.Trim();
        var responseIssuer = response.SelectSingleNode("saml:Issuer", ns)?.InnerText.Trim();
        if (issuer != expectedIssuer || (responseIssuer is not null && responseIssuer != expectedIssuer))
        {
            failures.Add(new(SamlRule.Issuer, $"Issuer '{issuer ?? responseIssuer ?? "(none)"}' is not present in the specified provider (its entityID is '{expectedIssuer}')."));
        }

        var now = timeProvider.GetUtcNow();
        var nameIdElement = assertion.SelectSingleNode("saml:Subject/saml:NameID", ns) as XmlElement;
        CheckForInjectedNodes(assertion, nameIdElement, ns, failures);
        var nameId = nameIdElement?.InnerText.Trim();
        if (string.IsNullOrEmpty(nameId))
        {
            failures.Add(new(SamlRule.NameId, "The assertion's Subject has no NameID."));
        }

        var confirmations = assertion.SelectNodes("saml:Subject/saml:SubjectConfirmation", ns)!.Cast<XmlElement>().ToList();
        var data = confirmations.Count == 1 ? confirmations[0].SelectSingleNode("saml:SubjectConfirmationData", ns) as XmlElement : null;
        string? recipient = null;
        DateTimeOffset? confirmationNotOnOrAfter = null;
        if (confirmations.Count != 1 || data is null || confirmations[0].GetAttribute("Method") != SamlXml.Bearer)
        {
            failures.Add(new(SamlRule.SubjectConfirmation, $"The Subject must have exactly one bearer SubjectConfirmation with SubjectConfirmationData; it has {confirmations.Count}."));
        }
        else
        {
            recipient = data.GetAttribute("Recipient");
            confirmationNotOnOrAfter = ParseTime(data.GetAttribute("NotOnOrAfter"));
            if (confirmationNotOnOrAfter is null)
            {
                failures.Add(new(SamlRule.SubjectConfirmation, "SubjectConfirmationData has no valid NotOnOrAfter."));
            }

            if (recipient != AwsSignInUrl)
            {
                failures.Add(new(SamlRule.Recipient, $"Recipient '{(recipient.Length == 0 ? "(none)" : recipient)}' is not {AwsSignInUrl}."));
            }
        }

        var conditions = assertion.SelectSingleNode("saml:Conditions", ns) as XmlElement;
        var notBefore = ParseTime(conditions?.GetAttribute("NotBefore"));
        var conditionsNotOnOrAfter = ParseTime(conditions?.GetAttribute("NotOnOrAfter"));
        var expiry = Earliest(confirmationNotOnOrAfter, conditionsNotOnOrAfter);
        if (expiry is { } end && now - ClockSkew >= end)
        {
            failures.Add(new(SamlRule.Expired, $"The assertion expired at {end:O} (now {now:O}, clock skew {ClockSkew.TotalMinutes} min)."));
        }

        if (notBefore is { } start && now + ClockSkew < start)
        {
            failures.Add(new(SamlRule.NotYetValid, $"The assertion is not valid before {start:O} (now {now:O}, clock skew {ClockSkew.TotalMinutes} min)."));
        }

        var audiences = assertion.SelectNodes("saml:Conditions/saml:AudienceRestriction/saml:Audience", ns)!.Cast<XmlElement>().Select(a => a.InnerText.Trim()).ToList();
        if (!audiences.Contains(AwsSignInUrl) && !audiences.Contains(AwsUrn))
        {
            failures.Add(new(SamlRule.Audience, $"No AudienceRestriction names {AwsSignInUrl} or {AwsUrn} (audiences: {(audiences.Count == 0 ? "none" : string.Join(", ", audiences))})."));
        }

        var attributes = ReadAttributes(assertion, ns);
        var roles = ReadRoles(attributes, failures);
        var sessionName = ReadSessionName(attributes, failures);
        var sessionDuration = ReadSessionDuration(attributes, failures);

        var details = new SamlAssertionDetails
        {
            ResponseId = response.GetAttribute("ID"),
            AssertionId = assertion.GetAttribute("ID"),
            Issuer = issuer,
            NameId = nameId,
            NameIdFormat = nameIdElement?.GetAttribute("Format") is { Length: > 0 } format ? format : null,
            Recipient = recipient,
            Audiences = audiences,
            NotBefore = notBefore,
            NotOnOrAfter = expiry,
            Roles = roles,
            RoleSessionName = sessionName,
            SessionDuration = sessionDuration,
            SessionNotOnOrAfter = ParseTime((assertion.SelectSingleNode("saml:AuthnStatement", ns) as XmlElement)?.GetAttribute("SessionNotOnOrAfter")),
            Attributes = attributes,
            ResponseSigned = responseSigned,
            AssertionSigned = assertionSigned,
        };
        return new(failures, details);
    }

    /// <summary>
    /// The XML Signature Wrapping attacks of "On Breaking SAML" (XSW1–XSW8) keep a genuinely signed element and move it
    /// where it is not read, next to an unsigned one that is. Each leaves one of these traces: an ID carried twice; a
    /// signature that is not inside the element it signs (detached, or moved into another element); a signed element
    /// other than the Response or an Assertion directly in it; or an Assertion that is read while no signature covers it.
    /// </summary>
    private static string? FindWrapping(XmlDocument document, XmlElement response, XmlNamespaceManager ns)
    {
        var byId = document.SelectNodes("//*[@ID]")!.Cast<XmlElement>()
            .GroupBy(e => e.GetAttribute("ID"), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        if (byId.FirstOrDefault(g => g.Value.Count > 1) is { Key: { } repeated, Value: var holders })
        {
            return $"the ID '{repeated}' is carried by {holders.Count} elements ({string.Join(", ", holders.Select(PathOf))})";
        }

        var signed = new List<XmlElement>();
        foreach (var signature in document.SelectNodes("//ds:Signature", ns)!.Cast<XmlElement>())
        {
            var uri = signature.SelectSingleNode("ds:SignedInfo/ds:Reference/@URI", ns)?.Value ?? string.Empty;
            if (!uri.StartsWith('#') || !byId.TryGetValue(uri[1..], out var targets))
            {
                continue; // no resolvable reference: the signature check names it
            }

            var element = targets[0];
            if (signature.ParentNode != element)
            {
                return $"the signature over {PathOf(element)} sits in {PathOf((XmlElement)signature.ParentNode!)}, not in the element it signs";
            }

            var readable = element == response || (IsAssertion(element) && element.ParentNode == response);
            if (!readable)
            {
                return $"the signed element is {PathOf(element)}, where neither the Response nor its Assertion is read";
            }

            signed.Add(element);
        }

        if (signed.Count > 0 && !signed.Contains(response)
            && response.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => IsAssertion(e) && !signed.Contains(e)) is { } unsigned)
        {
            return $"{PathOf(unsigned)} would be read, and no signature covers it";
        }

        return null;
    }

    private static bool IsAssertion(XmlElement element) => element.LocalName == "Assertion" && element.NamespaceURI == SamlXml.Assertion;

    /// <summary><c>/Response/Extensions/Assertion[ID=_abc]</c>: where an element is, for the message.</summary>
    private static string PathOf(XmlElement element)
    {
        var parts = new Stack<string>();
        for (XmlNode? node = element; node is XmlElement current; node = current.ParentNode)
        {
            parts.Push(current.HasAttribute("ID") ? $"{current.LocalName}[ID={current.GetAttribute("ID")}]" : current.LocalName);
        }

        return "/" + string.Join('/', parts);
    }

    private static (bool ResponseSigned, bool AssertionSigned) CheckSignatures(
        XmlDocument document, XmlElement response, XmlElement assertion, IReadOnlyList<X509Certificate2> certificates, List<SamlRuleFailure> failures, XmlNamespaceManager ns)
    {
        var allSignatures = document.SelectNodes("//ds:Signature", ns)!.Cast<XmlElement>().ToList();
        var responseSignature = response.SelectSingleNode("ds:Signature", ns) as XmlElement;
        var assertionSignature = assertion.SelectSingleNode("ds:Signature", ns) as XmlElement;
        var stray = allSignatures.Where(s => s != responseSignature && s != assertionSignature).ToList();
        if (stray.Count > 0)
        {
            failures.Add(new(SamlRule.SignatureWrapping, "The response carries a signature that signs neither the Response nor its Assertion."));
            return (false, false);
        }

        if (responseSignature is null && assertionSignature is null)
        {
            failures.Add(new(SamlRule.SignatureMissing, "Neither the Response nor the Assertion is signed."));
            return (false, false);
        }

        var responseOk = responseSignature is not null && Verify(response, responseSignature, certificates, failures);
        var assertionOk = assertionSignature is not null && Verify(assertion, assertionSignature, certificates, failures);
        return (responseOk, assertionOk);
    }

    private static bool Verify(XmlElement signed, XmlElement signature, IReadOnlyList<X509Certificate2> certificates, List<SamlRuleFailure> failures)
    {
        var problem = SamlXml.VerifyEnvelopedSignature(signed, signature, certificates);
        if (problem is null)
        {
            return true;
        }

        var wrapping = problem.Contains("reference", StringComparison.Ordinal) || problem.Contains("not unique", StringComparison.Ordinal) || problem.Contains("no ID", StringComparison.Ordinal);
        failures.Add(new(
            wrapping ? SamlRule.SignatureWrapping : SamlRule.SignatureInvalid,
            $"The {signed.LocalName}'s signature is invalid: {problem}."));
        return false;
    }

    /// <summary>
    /// Exclusive canonicalization drops comments, so <c>admin@contoso.example&lt;!----&gt;.evil.example</c> keeps a valid
    /// signature while a parser that reads the first text node sees <c>admin@contoso.example</c> (CVE-2017-11427 and kin).
    /// Entra never sends markup inside these values: any is refused.
    /// </summary>
    private static void CheckForInjectedNodes(XmlElement assertion, XmlElement? nameId, XmlNamespaceManager ns, List<SamlRuleFailure> failures)
    {
        var identifying = new List<(string Label, XmlElement Element)>();
        if (assertion.SelectSingleNode("saml:Issuer", ns) is XmlElement issuer)
        {
            identifying.Add(("Issuer", issuer));
        }

        if (nameId is not null)
        {
            identifying.Add(("NameID", nameId));
        }

        foreach (var attribute in assertion.SelectNodes("saml:AttributeStatement/saml:Attribute", ns)!.Cast<XmlElement>()
                     .Where(a => a.GetAttribute("Name") is RoleAttributeName or RoleSessionNameAttributeName))
        {
            var label = attribute.GetAttribute("Name") == RoleAttributeName ? "Role" : "RoleSessionName";
            identifying.AddRange(attribute.SelectNodes("saml:AttributeValue", ns)!.Cast<XmlElement>().Select(v => (label, v)));
        }

        foreach (var (label, element) in identifying.Where(e => e.Element.ChildNodes.Cast<XmlNode>().Any(n => n.NodeType is not (XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace))))
        {
            failures.Add(new(SamlRule.CommentInjection,
                $"The {label} value '{element.InnerXml}' contains XML markup (a comment or element). That is comment injection: the signature does not cover it, and a parser that reads only the first part would see '{element.FirstChild?.Value?.Trim()}'. Entra never sends this; discard the response."));
        }
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadAttributes(XmlElement assertion, XmlNamespaceManager ns)
    {
        var attributes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var attribute in assertion.SelectNodes("saml:AttributeStatement/saml:Attribute", ns)!.Cast<XmlElement>())
        {
            var name = attribute.GetAttribute("Name");
            var values = attribute.SelectNodes("saml:AttributeValue", ns)!.Cast<XmlElement>().Select(v => v.InnerText.Trim()).ToList();
            attributes[name] = attributes.TryGetValue(name, out var existing) ? [.. existing, .. values] : values;
        }

        return attributes;
    }

    private static List<SamlRoleValue> ReadRoles(Dictionary<string, IReadOnlyList<string>> attributes, List<SamlRuleFailure> failures)
    {
        var roles = new List<SamlRoleValue>();
        if (!attributes.TryGetValue(RoleAttributeName, out var values) || values.Count == 0)
        {
            failures.Add(new(SamlRule.RoleAttribute, $"The assertion has no {RoleAttributeName} attribute (is the user assigned to a role?)."));
            return roles;
        }

        foreach (var value in values)
        {
            var parts = value.Split(',', StringSplitOptions.TrimEntries);
            var role = parts.Length == 2 ? parts.FirstOrDefault(p => RoleArnPattern().IsMatch(p)) : null;
            var provider = parts.Length == 2 ? parts.FirstOrDefault(p => ProviderArnPattern().IsMatch(p)) : null;
            if (role is null || provider is null)
            {
                failures.Add(new(SamlRule.RoleAttribute, $"The Role value '{value}' is not 'roleArn,providerArn'."));
                continue;
            }

            roles.Add(new SamlRoleValue(role, provider));
        }

        return roles;
    }

    private static string? ReadSessionName(Dictionary<string, IReadOnlyList<string>> attributes, List<SamlRuleFailure> failures)
    {
        if (!attributes.TryGetValue(RoleSessionNameAttributeName, out var values) || values.Count != 1)
        {
            failures.Add(new(SamlRule.RoleSessionName, $"The assertion must have exactly one {RoleSessionNameAttributeName} value."));
            return null;
        }

        if (!SessionNamePattern().IsMatch(values[0]))
        {
            failures.Add(new(SamlRule.RoleSessionName, $"RoleSessionName '{values[0]}' must be 2–64 characters of [\\w+=,.@-]."));
        }

        return values[0];
    }

    private static int? ReadSessionDuration(Dictionary<string, IReadOnlyList<string>> attributes, List<SamlRuleFailure> failures)
    {
        if (!attributes.TryGetValue(SessionDurationAttributeName, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count != 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 900 or > 43200)
        {
            failures.Add(new(SamlRule.SessionDuration, $"SessionDuration '{string.Join(",", values)}' must be one integer from 900 to 43200."));
            return null;
        }

        return seconds;
    }

    private static DateTimeOffset? ParseTime(string? value)
        => string.IsNullOrEmpty(value) ? null
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : null;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b)
        => a is null ? b : b is null ? a : (a < b ? a : b);

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:saml-provider/[a-zA-Z_0-9+=,.@-]+$")]
    private static partial Regex ProviderArnPattern();

    [GeneratedRegex(@"^[a-zA-Z_0-9+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();
}
