using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FederationPortal.Sandbox.Aws.Iam;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Aws.Protocol;

/// <summary>Who signed a request: the seeded administrator, an IAM user, or a role session from AssumeRoleWithSAML.</summary>
internal sealed record AwsCaller(AwsCallerKind Kind, string Arn, string UserId, string? UserName = null, string? RoleName = null, string? AccessKeyId = null)
{
    /// <summary>For a role session: the session policy that intersects the role's permissions.</summary>
    public string? SessionPolicy { get; init; }
}

internal enum AwsCallerKind
{
    Administrator,
    User,
    RoleSession,
}

/// <summary>
/// Verifies AWS Signature Version 4 on a Query request as AWS does: a known key (the seeded admin key, an active
/// key created by CreateAccessKey, or unexpired temporary credentials with their session token), the credential
/// scope, the request time within 15 minutes, and the signature over the canonical request.
/// </summary>
internal sealed class SigV4Verifier(SandboxIamState state, IOptions<SandboxOptions> options, TimeProvider timeProvider)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private const string SignatureMismatchMessage = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    /// <param name="service">The signing name the endpoint expects (<c>iam</c>, <c>sts</c>).</param>
    /// <param name="requiredRegion">The region the scope must name, or null to accept any region.</param>
    public AwsCaller Verify(HttpRequest request, byte[] body, string service, string? requiredRegion)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
        {
            throw new AwsQueryError("MissingAuthenticationToken", "Request is missing Authentication Token", System.Net.HttpStatusCode.Forbidden);
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            throw new AwsQueryError("IncompleteSignature", $"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={authorization.Split(' ')[0]}", System.Net.HttpStatusCode.Forbidden);
        }

        var fields = authorization[(Algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders) || !fields.TryGetValue("Signature", out var signature))
        {
            throw new AwsQueryError("IncompleteSignature", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.", System.Net.HttpStatusCode.Forbidden);
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            throw new AwsQueryError("IncompleteSignature", $"Credential should be scoped to a valid region, not '{credential}'.", System.Net.HttpStatusCode.Forbidden);
        }

        var (accessKeyId, scopeDate, region, scopeService) = (scope[0], scope[1], scope[2], scope[3]);
        var (secret, caller) = Resolve(accessKeyId, request.Headers["X-Amz-Security-Token"].ToString());

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            throw new AwsQueryError("IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", System.Net.HttpStatusCode.Forbidden);
        }

        var now = timeProvider.GetUtcNow();
        if (signedAt < now - MaxSkew)
        {
            throw AwsQueryError.SignatureDoesNotMatch($"Signature expired: {amzDate} is now earlier than {Stamp(now - MaxSkew)} ({Stamp(now)} - 15 min.)");
        }

        if (signedAt > now + MaxSkew)
        {
            throw AwsQueryError.SignatureDoesNotMatch($"Signature not yet current: {amzDate} is still later than {Stamp(now + MaxSkew)} ({Stamp(now)} + 15 min.)");
        }

        if (scopeDate != amzDate[..8])
        {
            throw AwsQueryError.SignatureDoesNotMatch($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        if (requiredRegion is not null && region != requiredRegion)
        {
            throw AwsQueryError.SignatureDoesNotMatch($"Credential should be scoped to a valid region. ");
        }

        if (scopeService != service)
        {
            throw AwsQueryError.SignatureDoesNotMatch($"Credential should be scoped to correct service: '{service}'. ");
        }

        var canonicalRequest = CanonicalRequest(request, body, signedHeaders);
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scopeDate}/{region}/{scopeService}/aws4_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), scopeDate), region), scopeService), "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            throw AwsQueryError.SignatureDoesNotMatch(SignatureMismatchMessage);
        }

        return caller;
    }

    /// <summary>
    /// The caller a key pair names, for an in-process client of the emulated account: the key resolves as a signed
    /// request's would, and a wrong secret fails as a signature made with it would.
    /// </summary>
    public AwsCaller Authenticate(string accessKeyId, string secretAccessKey)
    {
        var (secret, caller) = Resolve(accessKeyId, sessionToken: "");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(secretAccessKey)))
        {
            throw AwsQueryError.SignatureDoesNotMatch(SignatureMismatchMessage);
        }

        return caller;
    }

    private (string Secret, AwsCaller Caller) Resolve(string accessKeyId, string sessionToken)
    {
        var sandbox = options.Value;
        if (accessKeyId == sandbox.AdminAccessKeyId)
        {
            return (sandbox.AdminSecretAccessKey, new AwsCaller(AwsCallerKind.Administrator, $"arn:aws:iam::{sandbox.AccountId}:root", sandbox.AccountId, AccessKeyId: accessKeyId));
        }

        if (accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
        {
            var session = state.Session(accessKeyId);
            if (session is null || string.IsNullOrEmpty(sessionToken) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(session.SessionToken), Encoding.UTF8.GetBytes(sessionToken)))
            {
                throw AwsQueryError.InvalidClientTokenId();
            }

            if (session.Expiration <= timeProvider.GetUtcNow())
            {
                throw new AwsQueryError("ExpiredToken", "The security token included in the request is expired", System.Net.HttpStatusCode.Forbidden);
            }

            return (session.SecretAccessKey, new AwsCaller(
                AwsCallerKind.RoleSession,
                $"arn:aws:sts::{sandbox.AccountId}:assumed-role/{session.RoleName}/{session.SessionName}",
                $"{session.RoleId}:{session.SessionName}",
                RoleName: session.RoleName,
                AccessKeyId: accessKeyId) { SessionPolicy = session.SessionPolicy });
        }

        var key = state.AccessKey(accessKeyId);
        if (key is null || key.Status != "Active" || state.User(key.UserName) is not { } user)
        {
            throw AwsQueryError.InvalidClientTokenId();
        }

        return (key.SecretAccessKey, new AwsCaller(AwsCallerKind.User, $"arn:aws:iam::{sandbox.AccountId}:user{user.Path}{user.UserName}", user.UserId, UserName: user.UserName, AccessKeyId: accessKeyId));
    }

    private static string CanonicalRequest(HttpRequest request, byte[] body, string signedHeaders)
    {
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : (request.PathBase + request.Path + request.QueryString).ToString();
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart >= 0 ? rawTarget[..queryStart] : rawTarget;
        var rawQuery = queryStart >= 0 ? rawTarget[(queryStart + 1)..] : "";

        var canonicalUri = string.Join('/', rawPath.Split('/').Select(segment => Encode(Uri.UnescapeDataString(segment))));
        canonicalUri = string.Join('/', canonicalUri.Split('/').Select(Encode));
        if (canonicalUri.Length == 0)
        {
            canonicalUri = "/";
        }

        var canonicalQuery = string.Join('&', rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Key: Encode(Uri.UnescapeDataString(pair[0])), Value: Encode(Uri.UnescapeDataString(pair.Length > 1 ? pair[1] : ""))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));

        var builder = new StringBuilder();
        foreach (var name in signedHeaders.Split(';'))
        {
            var value = name == "host" ? request.Host.Value : string.Join(',', request.Headers[name].Select(v => v ?? ""));
            builder.Append(name).Append(':').Append(CollapseSpaces(value ?? "")).Append('\n');
        }

        return $"{request.Method}\n{canonicalUri}\n{canonicalQuery}\n{builder}\n{signedHeaders}\n{Hex(SHA256.HashData(body))}";
    }

    private static string CollapseSpaces(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>RFC 3986 encoding: unreserved characters stay, everything else is %XX (upper-case).</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
