using System.Security.Cryptography;
using FederationPortal.Sandbox.Storage;

namespace FederationPortal.Sandbox.Aws.Iam;

internal sealed record SandboxTag(string Key, string Value);

internal sealed record SandboxRole
{
    public required string RoleName { get; init; }
    public required string RoleId { get; init; }
    public required string Path { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public required string AssumeRolePolicyDocument { get; init; }
    public string? Description { get; init; }
    public int MaxSessionDuration { get; init; } = 3600;
    public List<SandboxTag> Tags { get; init; } = [];
    public List<string> AttachedPolicyArns { get; init; } = [];
    public Dictionary<string, string> InlinePolicies { get; init; } = [];
}

internal sealed record SandboxIamUser
{
    public required string UserName { get; init; }
    public required string UserId { get; init; }
    public required string Path { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public List<SandboxTag> Tags { get; init; } = [];
    public List<string> AttachedPolicyArns { get; init; } = [];
    public Dictionary<string, string> InlinePolicies { get; init; } = [];
}

internal sealed record SandboxManagedPolicy
{
    public required string PolicyName { get; init; }
    public required string PolicyId { get; init; }
    public required string Arn { get; init; }
    public required string Path { get; init; }
    public required string Document { get; init; }
    public string? Description { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public required DateTimeOffset UpdateDate { get; init; }
    public string DefaultVersionId { get; init; } = "v1";
    public List<SandboxTag> Tags { get; init; } = [];
    public bool IsAwsManaged { get; init; }
}

internal sealed record SandboxSamlProvider
{
    public required string Name { get; init; }
    public required string MetadataDocument { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public DateTimeOffset? ValidUntil { get; init; }
    public List<SandboxTag> Tags { get; init; } = [];
}

internal sealed record SandboxAccessKey
{
    public required string AccessKeyId { get; init; }
    public required string SecretAccessKey { get; init; }
    public required string UserName { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
}

/// <summary>Temporary credentials issued by AssumeRoleWithSAML.</summary>
internal sealed record SandboxSession
{
    public required string AccessKeyId { get; init; }
    public required string SecretAccessKey { get; init; }
    public required string SessionToken { get; init; }
    public required string RoleName { get; init; }
    public required string RoleId { get; init; }
    public required string SessionName { get; init; }
    public required DateTimeOffset Expiration { get; init; }

    /// <summary>The inline session policy passed to AssumeRoleWithSAML, which further limits the role's permissions.</summary>
    public string? SessionPolicy { get; init; }
}

/// <summary>
/// The emulated account's IAM entities in the sandbox document store (so they survive restarts). Names are
/// unique case-insensitively, as in IAM. Every mutation runs under one lock: the emulated account is small.
/// </summary>
internal sealed class SandboxIamState(SandboxDocumentStore store)
{
    private const string Roles = "aws.iam.role";
    private const string Users = "aws.iam.user";
    private const string Policies = "aws.iam.policy";
    private const string Providers = "aws.iam.saml-provider";
    private const string Keys = "aws.iam.access-key";
    private const string Sessions = "aws.sts.session";

    public Lock Sync { get; } = new();

    public SandboxRole? Role(string name) => store.Get<SandboxRole>(Roles, Key(name));

    public IReadOnlyList<SandboxRole> AllRoles() => store.List<SandboxRole>(Roles);

    public void Save(SandboxRole role) => store.Put(Roles, Key(role.RoleName), role);

    public void DeleteRole(string name) => store.Delete(Roles, Key(name));

    public SandboxIamUser? User(string name) => store.Get<SandboxIamUser>(Users, Key(name));

    public IReadOnlyList<SandboxIamUser> AllUsers() => store.List<SandboxIamUser>(Users);

    public void Save(SandboxIamUser user) => store.Put(Users, Key(user.UserName), user);

    public void DeleteUser(string name) => store.Delete(Users, Key(name));

    public SandboxManagedPolicy? Policy(string arn)
        => AwsManagedPolicies.Find(arn) ?? store.Get<SandboxManagedPolicy>(Policies, arn);

    public IReadOnlyList<SandboxManagedPolicy> CustomerPolicies() => store.List<SandboxManagedPolicy>(Policies);

    public void Save(SandboxManagedPolicy policy) => store.Put(Policies, policy.Arn, policy);

    public void DeletePolicy(string arn) => store.Delete(Policies, arn);

    public SandboxSamlProvider? Provider(string name) => store.Get<SandboxSamlProvider>(Providers, name);

    public IReadOnlyList<SandboxSamlProvider> AllProviders() => store.List<SandboxSamlProvider>(Providers);

    public void Save(SandboxSamlProvider provider) => store.Put(Providers, provider.Name, provider);

    public void DeleteProvider(string name) => store.Delete(Providers, name);

    public SandboxAccessKey? AccessKey(string id) => store.Get<SandboxAccessKey>(Keys, id);

    public IReadOnlyList<SandboxAccessKey> AccessKeysOf(string userName)
        => store.List<SandboxAccessKey>(Keys).Where(k => string.Equals(k.UserName, userName, StringComparison.OrdinalIgnoreCase)).OrderBy(k => k.CreateDate).ToList();

    public void Save(SandboxAccessKey key) => store.Put(Keys, key.AccessKeyId, key);

    public void DeleteAccessKey(string id) => store.Delete(Keys, id);

    public SandboxSession? Session(string accessKeyId) => store.Get<SandboxSession>(Sessions, accessKeyId);

    public void Save(SandboxSession session) => store.Put(Sessions, session.AccessKeyId, session);

    /// <summary>Removes expired sessions, so the store does not grow without bound.</summary>
    public void PurgeSessions(DateTimeOffset now)
    {
        foreach (var session in store.List<SandboxSession>(Sessions).Where(s => s.Expiration < now))
        {
            store.Delete(Sessions, session.AccessKeyId);
        }
    }

    /// <summary>An IAM unique id: a 4-letter prefix (AROA, AIDA, ANPA, AKIA, ASIA) and upper-case letters and digits.</summary>
    public static string NewId(string prefix, int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        return prefix + RandomNumberGenerator.GetString(alphabet, length - prefix.Length);
    }

    /// <summary>A 40-character secret access key.</summary>
    public static string NewSecret()
        => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);

    private static string Key(string name) => name.ToLowerInvariant();
}
