namespace FederationPortal.Core.Aws;

/// <summary>An IAM tag.</summary>
public sealed record AwsTag(string Key, string Value);

/// <summary>An IAM SAML provider (<c>GetSAMLProvider</c> / <c>ListSAMLProviders</c>).</summary>
public sealed record IamSamlProvider(string Arn, DateTimeOffset? CreateDate, DateTimeOffset? ValidUntil, string? MetadataDocument = null, IReadOnlyList<AwsTag>? Tags = null);

/// <summary>An IAM role. <see cref="AssumeRolePolicyDocument"/> is the decoded JSON.</summary>
public sealed record IamRole(
    string RoleName,
    string RoleId,
    string Arn,
    string Path,
    DateTimeOffset CreateDate,
    string? AssumeRolePolicyDocument,
    string? Description,
    int MaxSessionDuration,
    IReadOnlyList<AwsTag> Tags);

/// <summary>What <see cref="IAwsIam.CreateRoleAsync"/> needs.</summary>
public sealed record CreateRoleRequest(string RoleName, string AssumeRolePolicyDocument)
{
    public string Path { get; init; } = "/";
    public string? Description { get; init; }
    public int? MaxSessionDuration { get; init; }
    public IReadOnlyList<AwsTag> Tags { get; init; } = [];
}

/// <summary>An IAM user.</summary>
public sealed record IamUser(string UserName, string UserId, string Arn, string Path, DateTimeOffset CreateDate, IReadOnlyList<AwsTag> Tags);

/// <summary>A managed policy (customer or AWS managed).</summary>
public sealed record IamManagedPolicy(
    string PolicyName,
    string PolicyId,
    string Arn,
    string Path,
    string DefaultVersionId,
    int AttachmentCount,
    bool IsAttachable,
    string? Description,
    DateTimeOffset CreateDate,
    DateTimeOffset UpdateDate);

/// <summary>A managed policy attached to a role or user.</summary>
public sealed record IamAttachedPolicy(string PolicyName, string PolicyArn);

/// <summary>The roles and users a managed policy is attached to.</summary>
public sealed record IamPolicyEntities(IReadOnlyList<string> RoleNames, IReadOnlyList<string> UserNames);

/// <summary>A freshly created access key: the only moment the secret is known. Never log <see cref="SecretAccessKey"/>.</summary>
public sealed record IamAccessKey(string UserName, string AccessKeyId, string Status, string SecretAccessKey, DateTimeOffset CreateDate)
{
    public override string ToString() => $"IamAccessKey {{ UserName = {UserName}, AccessKeyId = {AccessKeyId}, Status = {Status}, SecretAccessKey = ***redacted*** }}";
}

/// <summary>An access key without its secret.</summary>
public sealed record IamAccessKeyMetadata(string UserName, string AccessKeyId, string Status, DateTimeOffset CreateDate);

/// <summary>One decision of <c>SimulatePrincipalPolicy</c>: <c>allowed</c>, <c>explicitDeny</c> or <c>implicitDeny</c>.</summary>
public sealed record IamSimulationResult(string ActionName, string ResourceName, string Decision)
{
    public bool IsAllowed => Decision == "allowed";
}

/// <summary>The temporary credentials and identity <c>AssumeRoleWithSAML</c> returns. Never log the secret or token.</summary>
public sealed record AwsSamlSession(
    string AccessKeyId,
    string SecretAccessKey,
    string SessionToken,
    DateTimeOffset Expiration,
    string AssumedRoleArn,
    string AssumedRoleId,
    string Subject,
    string SubjectType,
    string Issuer,
    string Audience,
    string NameQualifier)
{
    public override string ToString() => $"AwsSamlSession {{ AccessKeyId = {AccessKeyId}, AssumedRoleArn = {AssumedRoleArn}, Expiration = {Expiration:O}, secrets redacted }}";
}

/// <summary><c>GetCallerIdentity</c>'s answer.</summary>
public sealed record AwsCallerIdentity(string Account, string Arn, string UserId);
