namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>
/// The AWS managed policies the portal offers, with their real ARNs. AdministratorAccess, PowerUserAccess and
/// AmazonS3ReadOnlyAccess carry their real documents; the large read-only job-function policies (ReadOnlyAccess,
/// ViewOnlyAccess, SecurityAudit, Billing) carry a faithful abbreviation with the same shape and intent.
/// </summary>
internal static class AwsManagedPolicies
{
    private static readonly DateTimeOffset Created = new(2015, 2, 6, 18, 39, 46, TimeSpan.Zero);

    public static IReadOnlyList<SandboxManagedPolicy> All { get; } =
    [
        Policy("AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "v1", "Provides full access to AWS services and resources.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""),
        Policy("PowerUserAccess", "/", "ANPAJYRXTHIB4FOVS3ZXS", "v5", "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["account:GetAccountInformation","account:GetPrimaryEmail","account:ListRegions","iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization"],"Resource":"*"}]}"""),
        Policy("ReadOnlyAccess", "/", "ANPAILL3HVNFSB6DCOWYQ", "v120", "Provides read-only access to AWS services and resources.",
            """{"Version":"2012-10-17","Statement":[{"Sid":"ReadOnlyActions","Effect":"Allow","Action":["ec2:Describe*","ec2:Get*","iam:Generate*","iam:Get*","iam:List*","iam:Simulate*","s3:Describe*","s3:Get*","s3:List*","sts:GetCallerIdentity","cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*","cloudtrail:LookupEvents","cloudwatch:Describe*","cloudwatch:Get*","cloudwatch:List*","logs:Describe*","logs:Get*","logs:List*","organizations:Describe*","organizations:List*","sso:Describe*","sso:Get*","sso:List*"],"Resource":"*"}]}"""),
        Policy("SecurityAudit", "/", "ANPAIX2T3QCXHR2OGGCTO", "v50", "The security audit template grants access to read security configuration metadata.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy","cloudtrail:DescribeTrails","cloudtrail:GetEventSelectors","cloudtrail:GetTrailStatus","cloudtrail:ListTags","cloudtrail:LookupEvents","ec2:Describe*","s3:GetBucket*","s3:ListAllMyBuckets","s3:ListBucket","config:Describe*","config:Get*","kms:Describe*","kms:List*","sts:GetCallerIdentity"],"Resource":"*"}]}"""),
        Policy("AmazonS3ReadOnlyAccess", "/", "ANPAIZTJ4DXE7G6AGAE6M", "v3", "Provides read only access to all buckets via the AWS Management Console.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}"""),
        Policy("ViewOnlyAccess", "/job-function/", "ANPAID22R6XPJATWOFDK6", "v20", "This policy grants permissions to view resources and basic metadata across all AWS services",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeInstances","ec2:DescribeRegions","ec2:DescribeVpcs","iam:GetAccountSummary","iam:ListAccountAliases","iam:ListGroups","iam:ListPolicies","iam:ListRoles","iam:ListUsers","s3:ListAllMyBuckets","s3:ListBucket","s3:GetBucketLocation","cloudtrail:DescribeTrails","cloudwatch:ListMetrics","logs:DescribeLogGroups"],"Resource":"*"}]}"""),
        Policy("Billing", "/job-function/", "ANPAIFTHXT6FFMIRT7ZEA", "v9", "Grants permissions for billing and cost management.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["account:GetAccountInformation","aws-portal:*Billing","aws-portal:*PaymentMethods","aws-portal:*Usage","billing:*","budgets:ModifyBudget","budgets:ViewBudget","ce:*","cur:*","invoicing:*","payments:*","pricing:*","tax:*"],"Resource":"*"}]}"""),
    ];

    public static SandboxManagedPolicy? Find(string arn) => All.FirstOrDefault(p => p.Arn == arn);

    private static SandboxManagedPolicy Policy(string name, string path, string id, string version, string description, string document) => new()
    {
        PolicyName = name,
        PolicyId = id,
        Arn = $"arn:aws:iam::aws:policy{path}{name}",
        Path = path,
        Document = document,
        Description = description,
        CreateDate = Created,
        UpdateDate = Created,
        DefaultVersionId = version,
        IsAwsManaged = true,
    };
}
