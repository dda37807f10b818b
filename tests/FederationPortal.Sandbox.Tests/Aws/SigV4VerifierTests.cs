using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using FederationPortal.Sandbox.Aws;
using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.Sandbox.Aws.Protocol;
using FederationPortal.Sandbox.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FederationPortal.Sandbox.Tests.Aws;

/// <summary>SigV4 verification against a controlled clock: the 15-minute window and temporary credential expiry.</summary>
public sealed class SigV4VerifierTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("fp-sigv4").FullName;
    private readonly SandboxDocumentStore store;
    private readonly SandboxIamState state;
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 27, 7, 0, 0, TimeSpan.Zero));
    private readonly SigV4Verifier verifier;

    public SigV4VerifierTests()
    {
        store = new SandboxDocumentStore(directory);
        state = new SandboxIamState(store);
        verifier = new SigV4Verifier(state, Options.Create(new SandboxOptions()), clock);
    }

    public void Dispose()
    {
        store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private (HttpRequest Request, byte[] Body) Signed(AWSCredentials credentials, DateTime signedAt)
    {
        var body = Encoding.UTF8.GetBytes("Action=ListRoles&Version=2010-05-08");
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = new Uri("http://localhost:5080/sandbox/aws/iam"), Content = body };
        signing.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
        var result = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters { Credentials = credentials, Region = RegionEndpoint.USEast1, Service = "iam", SignedAt = signedAt });

        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost:5080");
        context.Request.Path = "/sandbox/aws/iam";
        context.Request.ContentType = "application/x-www-form-urlencoded; charset=utf-8";
        foreach (var (name, value) in result.Headers)
        {
            context.Request.Headers[name] = value;
        }

        return (context.Request, body);
    }

    [Fact]
    public void A_signature_within_15_minutes_verifies_and_one_beyond_is_expired()
    {
        var admin = new BasicAWSCredentials("AKIASANDBOXADMIN0001", "sandboxSecretKeyDoNotUseInProduction0001");
        var (request, body) = Signed(admin, clock.GetUtcNow().UtcDateTime);

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(AwsCallerKind.Administrator, verifier.Verify(request, body, "iam", "us-east-1").Kind);

        clock.Advance(TimeSpan.FromMinutes(2));
        var error = Assert.Throws<AwsQueryError>(() => verifier.Verify(request, body, "iam", "us-east-1"));
        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal("Signature expired: 20261127T070000Z is now earlier than 20261127T070100Z (20261127T071600Z - 15 min.)", error.Message);
    }

    [Fact]
    public void A_tampered_body_does_not_match()
    {
        var (request, _) = Signed(new BasicAWSCredentials("AKIASANDBOXADMIN0001", "sandboxSecretKeyDoNotUseInProduction0001"), clock.GetUtcNow().UtcDateTime);
        var error = Assert.Throws<AwsQueryError>(() => verifier.Verify(request, Encoding.UTF8.GetBytes("Action=DeleteRole&Version=2010-05-08"), "iam", "us-east-1"));
        Assert.Equal("SignatureDoesNotMatch", error.Code);
    }

    [Fact]
    public void Temporary_credentials_work_until_they_expire_and_need_their_session_token()
    {
        var session = new SandboxSession
        {
            AccessKeyId = "ASIATESTSESSION00001",
            SecretAccessKey = new string('s', 40),
            SessionToken = "token-1",
            RoleName = "EntraAdmins",
            RoleId = "AROATESTROLE000000001",
            SessionName = "alice",
            Expiration = clock.GetUtcNow().AddHours(1),
        };
        state.Save(session);

        var (request, body) = Signed(new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken), clock.GetUtcNow().UtcDateTime);
        var caller = verifier.Verify(request, body, "iam", "us-east-1");
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/EntraAdmins/alice", caller.Arn);

        var (wrongToken, wrongBody) = Signed(new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, "token-2"), clock.GetUtcNow().UtcDateTime);
        Assert.Equal("InvalidClientTokenId", Assert.Throws<AwsQueryError>(() => verifier.Verify(wrongToken, wrongBody, "iam", "us-east-1")).Code);

        clock.Advance(TimeSpan.FromHours(1));
        var (late, lateBody) = Signed(new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken), clock.GetUtcNow().UtcDateTime);
        Assert.Equal("ExpiredToken", Assert.Throws<AwsQueryError>(() => verifier.Verify(late, lateBody, "iam", "us-east-1")).Code);
    }
}
