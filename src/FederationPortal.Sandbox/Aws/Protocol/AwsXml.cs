using System.Globalization;
using System.Xml.Linq;
using FederationPortal.Sandbox.Aws.Iam;

namespace FederationPortal.Sandbox.Aws.Protocol;

/// <summary>Builds Query-protocol XML documents in one service's namespace.</summary>
internal sealed class AwsXml(string serviceNamespace)
{
    public static AwsXml Iam { get; } = new("https://iam.amazonaws.com/doc/2010-05-08/");

    public static AwsXml Sts { get; } = new("https://sts.amazonaws.com/doc/2011-06-15/");

    public XNamespace Ns { get; } = serviceNamespace;

    public XElement E(string name, params object?[] content) => new(Ns + name, content);

    /// <summary>An element only when the value is present.</summary>
    public XElement? Opt(string name, object? value) => value is null ? null : E(name, value);

    public XElement Date(string name, DateTimeOffset value) => E(name, Format(value));

    public XElement Members(string name, IEnumerable<object> members) => E(name, members.Select(m => E("member", m)));

    public XElement Tags(IEnumerable<SandboxTag> tags) => Members("Tags", tags.Select(t => new object[] { E("Key", t.Key), E("Value", t.Value) }));

    /// <summary>A URL-encoded policy document, as IAM returns them (botocore decodes them).</summary>
    public XElement Policy(string name, string json) => E(name, Uri.EscapeDataString(json));

    /// <summary><c>&lt;ActionResponse&gt;&lt;ActionResult&gt;…&lt;/ActionResult&gt;&lt;ResponseMetadata&gt;…</c>; no Result element when <paramref name="result"/> is null.</summary>
    public XDocument Response(string action, IEnumerable<object?>? result, string requestId)
        => new(new XDeclaration("1.0", "utf-8", null), E(
            action + "Response",
            result is null ? null : E(action + "Result", result.ToArray()),
            E("ResponseMetadata", E("RequestId", requestId))));

    public XDocument Error(AwsQueryError error, string requestId)
        => new(new XDeclaration("1.0", "utf-8", null), E(
            "ErrorResponse",
            E("Error", E("Type", error.SenderFault ? "Sender" : "Receiver"), E("Code", error.Code), E("Message", error.Message)),
            E("RequestId", requestId)));

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
