using FederationPortal.Core.Audit;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Doctor;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Doctor;

/// <summary>Each doctor check against the sandbox: passing on a healthy environment, failing on a seeded fault, and fixed where the portal can.</summary>
public sealed class DoctorCheckTests(DoctorFixture fixture) : IClassFixture<DoctorFixture>
{
    private const string Diego = "diego.siciliani@contoso.example";

    [Theory]
    [InlineData("signing-certificate-in-provider")]
    [InlineData("signing-certificate-expiry")]
    [InlineData("claims-policy")]
    [InlineData("identifier")]
    [InlineData("app-roles")]
    [InlineData("trust-policy")]
    [InlineData("role-value-length")]
    [InlineData("assigned-users-role-claim")]
    [InlineData("provisioning-permissions")]
    [InlineData("provisioning-job")]
    public async Task Check_passes_on_a_healthy_environment(string checkId)
    {
        var result = await fixture.CheckAsync(fixture.Healthy.Id, checkId);

        Assert.Equal(DoctorStatus.Passed, result.Status);
        Assert.All(result.Findings, f => Assert.Equal(DoctorStatus.Passed, f.Status));
    }

    [Fact]
    public async Task Whole_run_on_a_healthy_environment_is_all_green_and_reports_progress()
    {
        var ticks = new List<DoctorProgress>();
        var report = await fixture.WithAsync(sp => sp.GetRequiredService<DoctorService>().RunAsync(fixture.Healthy.Id, new SyncProgress(ticks.Add)));

        Assert.True(report.AllPassed, string.Join("\n", report.Findings.Where(f => f.Status is DoctorStatus.Failed or DoctorStatus.Warning).Select(f => $"{f.CheckId}: {f.Explanation}")));
        Assert.Equal(10, report.Checks.Count);
        Assert.Equal(ticks[^1].Total, ticks[^1].Done);
        Assert.All(report.Checks, c => Assert.Equal(DoctorStatus.Passed, c.Status));
    }

    [Fact]
    public async Task Wrong_trusted_entity_is_detected_fixed_and_sign_in_works_again()
    {
        // The source article's second failure: the role trusts the wrong entity ("AWS account" instead of SAML federation).
        var environment = await fixture.SetUpAsync();
        var role = $"{RolePrefix(environment)}-ReadOnly";
        await fixture.WithAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<IAwsIam>().UpdateAssumeRolePolicyAsync(role,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}");
            return null;
        });
        Assert.False((await fixture.SignInAsync(environment.Id, role)).Success);

        var result = await fixture.CheckAsync(environment.Id, "trust-policy");
        var finding = Assert.Single(result.Findings, f => f.Status == DoctorStatus.Failed);
        Assert.Equal($"Role {role}", finding.Subject);
        Assert.Contains("No statement allows sts:AssumeRoleWithSAML", finding.Explanation);
        Assert.Contains("AWS arn:aws:iam::111122223333:root", finding.Explanation);
        Assert.Equal(DoctorFixes.TrustPolicy, finding.FixId);

        var fixedIt = await fixture.FixAsync(environment.Id, finding);
        Assert.Contains(role, fixedIt.Summary);
        Assert.Equal(DoctorStatus.Passed, (await fixture.CheckAsync(environment.Id, "trust-policy")).Status);
        var signIn = await fixture.SignInAsync(environment.Id, role);
        Assert.True(signIn.Success, string.Join("\n", signIn.Steps.Select(s => $"{s.Name}: {s.Passed} {s.Detail}")));

        var audit = await fixture.WithAsync(sp => sp.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery { Action = "doctor.fix.trust-policy", EnvironmentId = environment.Id }));
        Assert.Equal(AuditOutcome.Success, Assert.Single(audit.Items).Outcome);
    }

    [Fact]
    public async Task Trust_policy_without_SAML_aud_with_an_extra_principal_or_two_providers_is_named()
    {
        var environment = await fixture.SetUpAsync();
        var role = $"{RolePrefix(environment)}-Admin";
        var ours = await ProviderArnAsync(environment);
        var other = await ProviderArnAsync(fixture.Healthy);

        async Task<string> ExplainAsync(string statements)
        {
            await fixture.WithAsync<object?>(async sp =>
            {
                await sp.GetRequiredService<IAwsIam>().UpdateAssumeRolePolicyAsync(role, "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}");
                return null;
            });
            var result = await fixture.CheckAsync(environment.Id, "trust-policy");
            return Assert.Single(result.Findings, f => f.Status == DoctorStatus.Failed).Explanation;
        }

        var saml = $"{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":\"{ours}\"}},\"Action\":\"sts:AssumeRoleWithSAML\"";
        var aud = ",\"Condition\":{\"StringEquals\":{\"SAML:aud\":\"https://signin.aws.amazon.com/saml\"}}}";
        Assert.Contains("no condition SAML:aud", await ExplainAsync(saml + "}"));
        Assert.Contains("also trusts Service ec2.amazonaws.com", await ExplainAsync(saml + aud + ",{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}"));
        var twoProviders = await ExplainAsync($"{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":[\"{ours}\",\"{other}\"]}},\"Action\":\"sts:AssumeRoleWithSAML\"{aud}");
        Assert.Contains("names 2 SAML providers", twoProviders);
        Assert.Contains($"instead of this environment's SAML provider", await ExplainAsync($"{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":\"{other}\"}},\"Action\":\"sts:AssumeRoleWithSAML\"{aud}"));
    }

    [Fact]
    public async Task Provisioning_user_with_s3_and_ec2_actions_fails_Test_Connection_is_detected_by_simulation_and_fixed()
    {
        // The source article's first failure: the connector's user got s3:ListBucket, s3:GetObject, ec2:DescribeInstances.
        var environment = await fixture.SetUpAsync(provisioning: true);
        var spec = DoctorFixture.Spec(RolePrefix(environment), provisioning: true);
        var userName = FederationNames.ProvisioningUserName(environment, spec);
        var app = await AppAsync(environment);
        var jobId = (await Inventory(environment)).Single(r => r.Type == ResourceTypes.SyncJob).CloudId;
        var key = await fixture.WithAsync(async sp =>
        {
            var iam = sp.GetRequiredService<IAwsIam>();
            await iam.DeleteUserPolicyAsync(userName, FederationNames.ProvisioningPolicyName);
            await iam.PutUserPolicyAsync(userName, "ArticleFirstAttempt",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\",\"s3:GetObject\",\"ec2:DescribeInstances\"],\"Resource\":\"*\"}]}");
            return await iam.CreateAccessKeyAsync(userName);
        });

        // Entra's Test Connection with the user's key fails.
        Task TestConnectionAsync() => fixture.WithAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<IEntraDirectoryService>().ValidateSynchronizationCredentialsAsync(app.ServicePrincipalId, jobId, key.AccessKeyId, key.SecretAccessKey);
            return null;
        });
        await Assert.ThrowsAsync<EntraServiceException>(TestConnectionAsync);

        var finding = Assert.Single((await fixture.CheckAsync(environment.Id, "provisioning-permissions")).Findings);
        Assert.Equal(DoctorStatus.Failed, finding.Status);
        Assert.Contains("iam:ListRoles", finding.Explanation);
        Assert.Contains("implicitDeny", finding.Explanation);
        Assert.Contains("Test Connection fails", finding.Explanation);
        Assert.Equal(DoctorFixes.ProvisioningPolicy, finding.FixId);

        await fixture.FixAsync(environment.Id, finding);
        Assert.Equal(DoctorStatus.Passed, (await fixture.CheckAsync(environment.Id, "provisioning-permissions")).Status);
        await TestConnectionAsync();
        var roles = await fixture.WithAsync(sp => sp.GetRequiredService<IAwsIamClientFactory>().ForCredentials(key.AccessKeyId, key.SecretAccessKey).ListRolesAsync());
        Assert.Contains(roles, r => r.RoleName == $"{RolePrefix(environment)}-ReadOnly");
    }

    [Fact]
    public async Task Provisioning_run_that_fails_quarantines_the_job_and_the_doctor_says_so()
    {
        var environment = await fixture.SetUpAsync(provisioning: true);
        var spec = DoctorFixture.Spec(RolePrefix(environment), provisioning: true);
        var userName = FederationNames.ProvisioningUserName(environment, spec);
        var app = await AppAsync(environment);
        var jobId = (await Inventory(environment)).Single(r => r.Type == ResourceTypes.SyncJob).CloudId;
        await fixture.WithAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<IAwsIam>().DeleteUserPolicyAsync(userName, FederationNames.ProvisioningPolicyName);
            var entra = sp.GetRequiredService<IEntraDirectoryService>();
            // Wait for this run, not the setup's: its end must come after the last end known before starting it.
            var previous = (await entra.GetSynchronizationJobAsync(app.ServicePrincipalId, jobId))?.LastExecutionEnded;
            await entra.StartSynchronizationJobAsync(app.ServicePrincipalId, jobId);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await entra.GetSynchronizationJobAsync(app.ServicePrincipalId, jobId))?.LastExecutionEnded is not { } ended || (previous is not null && ended <= previous))
            {
                await Task.Delay(50, deadline.Token); // polls the job until its run ends or the deadline passes
            }

            return null;
        });

        var finding = Assert.Single((await fixture.CheckAsync(environment.Id, "provisioning-job")).Findings);
        Assert.Equal(DoctorStatus.Failed, finding.Status);
        Assert.Contains("quarantined", finding.Explanation);
        Assert.Equal(DoctorStatus.Failed, (await fixture.CheckAsync(environment.Id, "provisioning-permissions")).Status);
    }

    [Fact]
    public async Task Rotated_certificate_missing_from_the_provider_is_detected_and_the_metadata_reuploaded()
    {
        var environment = await fixture.SetUpAsync();
        var role = $"{RolePrefix(environment)}-ReadOnly";
        var app = await AppAsync(environment);
        var thumbprint = await fixture.WithAsync(async sp =>
        {
            var entra = sp.GetRequiredService<IEntraDirectoryService>();
            var certificate = await entra.AddTokenSigningCertificateAsync(app.ServicePrincipalId, "CN=Rotated by hand", DateTimeOffset.UtcNow.AddYears(1));
            await entra.SetPreferredTokenSigningThumbprintAsync(app.ServicePrincipalId, certificate.Thumbprint);
            return certificate.Thumbprint;
        });
        Assert.False((await fixture.SignInAsync(environment.Id, role)).Success);

        var finding = Assert.Single((await fixture.CheckAsync(environment.Id, "signing-certificate-in-provider")).Findings);
        Assert.Equal(DoctorStatus.Failed, finding.Status);
        Assert.Contains(thumbprint, finding.Explanation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Response signature invalid", finding.Explanation);

        await fixture.FixAsync(environment.Id, finding);
        Assert.Equal(DoctorStatus.Passed, (await fixture.CheckAsync(environment.Id, "signing-certificate-in-provider")).Status);
        Assert.True((await fixture.SignInAsync(environment.Id, role)).Success);
    }

    [Fact]
    public async Task Certificate_expiring_within_the_threshold_is_a_warning()
    {
        var environment = await fixture.SetUpAsync();
        var app = await AppAsync(environment);
        await fixture.WithAsync<object?>(async sp =>
        {
            var entra = sp.GetRequiredService<IEntraDirectoryService>();
            var certificate = await entra.AddTokenSigningCertificateAsync(app.ServicePrincipalId, "CN=Short lived", DateTimeOffset.UtcNow.AddDays(10));
            await entra.SetPreferredTokenSigningThumbprintAsync(app.ServicePrincipalId, certificate.Thumbprint);
            return null;
        });

        var finding = Assert.Single((await fixture.CheckAsync(environment.Id, "signing-certificate-expiry")).Findings);
        Assert.Equal(DoctorStatus.Warning, finding.Status);
        Assert.Contains("threshold 30 days", finding.Explanation);
        Assert.Contains("Rotate", finding.Fix);
    }

    [Fact]
    public async Task Missing_or_miscased_claims_policy_is_detected_and_fixed()
    {
        var environment = await fixture.SetUpAsync();
        var role = $"{RolePrefix(environment)}-ReadOnly";
        var app = await AppAsync(environment);
        await fixture.WithAsync<object?>(async sp =>
        {
            var entra = sp.GetRequiredService<IEntraDirectoryService>();
            foreach (var policy in await entra.ListClaimsMappingPoliciesAsync(app.ServicePrincipalId))
            {
                await entra.RemoveClaimsMappingPolicyAsync(app.ServicePrincipalId, policy.Id);
            }

            return null;
        });
        var missing = Assert.Single((await fixture.CheckAsync(environment.Id, "claims-policy")).Findings);
        Assert.Equal(DoctorStatus.Failed, missing.Status);
        Assert.Contains("No claims mapping policy", missing.Explanation);

        await fixture.WithAsync<object?>(async sp =>
        {
            var entra = sp.GetRequiredService<IEntraDirectoryService>();
            var id = await entra.CreateClaimsMappingPolicyAsync("Hand-made AWS claims",
                EntraWellKnown.AwsClaimsMappingDefinition().Replace("Attributes/Role\"", "Attributes/role\"", StringComparison.Ordinal));
            await entra.AssignClaimsMappingPolicyAsync(app.ServicePrincipalId, id);
            return null;
        });
        var miscased = Assert.Single((await fixture.CheckAsync(environment.Id, "claims-policy")).Findings);
        Assert.Equal(DoctorStatus.Failed, miscased.Status);
        Assert.Contains("spelt 'https://aws.amazon.com/SAML/Attributes/role'", miscased.Explanation);
        Assert.False((await fixture.SignInAsync(environment.Id, role)).Success);

        await fixture.FixAsync(environment.Id, miscased);
        Assert.Equal(DoctorStatus.Passed, (await fixture.CheckAsync(environment.Id, "claims-policy")).Status);
        Assert.True((await fixture.SignInAsync(environment.Id, role)).Success);
    }

    [Fact]
    public async Task App_role_naming_another_provider_is_detected_and_corrected()
    {
        var environment = await fixture.SetUpAsync();
        var role = $"{RolePrefix(environment)}-ReadOnly";
        var app = await AppAsync(environment);
        var other = await ProviderArnAsync(fixture.Healthy);
        await fixture.WithAsync<object?>(async sp =>
        {
            var entra = sp.GetRequiredService<IEntraDirectoryService>();
            var roles = (await entra.GetAppRolesAsync(app.ServicePrincipalId)).ToList();
            var i = roles.FindIndex(r => r.Value?.Contains($":role/{role},", StringComparison.Ordinal) == true);
            roles[i] = roles[i] with { IsEnabled = false };
            await entra.SetAppRolesAsync(app.ServicePrincipalId, roles);
            roles[i] = roles[i] with { IsEnabled = true, Value = $"arn:aws:iam::111122223333:role/{role},{other}" };
            await entra.SetAppRolesAsync(app.ServicePrincipalId, roles);
            return null;
        });

        var finding = Assert.Single((await fixture.CheckAsync(environment.Id, "app-roles")).Findings, f => f.Status == DoctorStatus.Failed);
        Assert.Contains($"names provider {other}", finding.Explanation);

        await fixture.FixAsync(environment.Id, finding);
        Assert.Equal(DoctorStatus.Passed, (await fixture.CheckAsync(environment.Id, "app-roles")).Status);
        Assert.True((await fixture.SignInAsync(environment.Id, role)).Success);
    }

    [Fact]
    public async Task App_role_pointing_at_a_missing_role_is_a_failure()
    {
        var environment = await fixture.SetUpAsync();
        var app = await AppAsync(environment);
        await fixture.WithAsync<object?>(async sp =>
        {
            var entra = sp.GetRequiredService<IEntraDirectoryService>();
            var roles = (await entra.GetAppRolesAsync(app.ServicePrincipalId)).ToList();
            roles.Add(EntraAppRole.ForAwsRole(Guid.NewGuid(), "arn:aws:iam::111122223333:role/Nobody-Made-Me", await ProviderArnAsync(environment)));
            await entra.SetAppRolesAsync(app.ServicePrincipalId, roles);
            return null;
        });

        var finding = Assert.Single((await fixture.CheckAsync(environment.Id, "app-roles")).Findings, f => f.Status == DoctorStatus.Failed);
        Assert.Contains("Nobody-Made-Me does not exist", finding.Explanation);
        await fixture.FixAsync(environment.Id, finding);
        Assert.Equal(DoctorStatus.Passed, (await fixture.CheckAsync(environment.Id, "app-roles")).Status);
    }

    [Fact]
    public async Task Role_and_provider_arns_of_240_characters_or_more_fail()
    {
        // The wizard refuses such names; a desired state written before that rule (or by hand) is what the doctor catches.
        var environment = await fixture.Driver.CreateEnvironmentAsync("Doctor long names");
        await fixture.WithAsync<object?>(async sp =>
        {
            var store = sp.GetRequiredService<IEnvironmentStore>();
            var stored = (await store.FindAsync(environment.Id))!;
            stored.DesiredStateJson = new EnvironmentSpec
            {
                SamlProviderName = new string('P', 128),
                Roles = [new RoleSpec { Name = new string('R', 64) }],
                Provisioning = new ProvisioningSpec { Enabled = false },
            }.ToJson();
            await store.UpdateAsync(stored);
            return null;
        });

        var finding = Assert.Single((await fixture.CheckAsync(environment.Id, "role-value-length")).Findings);
        Assert.Equal(DoctorStatus.Failed, finding.Status);
        Assert.Contains("240", finding.Explanation);
        Assert.Null(finding.FixId);
    }

    [Fact]
    public async Task User_assigned_only_to_the_default_User_role_has_an_empty_Role_claim()
    {
        var environment = await fixture.SetUpAsync();
        var app = await AppAsync(environment);
        await fixture.WithAsync<object?>(async sp =>
        {
            var entra = sp.GetRequiredService<IEntraDirectoryService>();
            var isaiah = (await entra.ListUsersAsync("isaiah")).Single();
            var userRole = (await entra.GetAppRolesAsync(app.ServicePrincipalId)).Single(r => r.DisplayName == "User");
            await entra.AssignAppRoleAsync(app.ServicePrincipalId, isaiah.Id, userRole.Id);
            return null;
        });

        var finding = Assert.Single((await fixture.CheckAsync(environment.Id, "assigned-users-role-claim")).Findings);
        Assert.Equal(DoctorStatus.Failed, finding.Status);
        Assert.Contains("Isaiah", finding.Subject + finding.Explanation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("invalid SAML response", finding.Explanation);
    }

    [Fact]
    public async Task Identifier_that_is_not_AWS_s_is_detected_and_reset_to_a_free_one()
    {
        var environment = await fixture.SetUpAsync();
        var role = $"{RolePrefix(environment)}-ReadOnly";
        var record = (await Inventory(environment)).Single(r => r.Type == ResourceTypes.Application);
        await fixture.WithAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<IEntraDirectoryService>().SetSamlUrlsAsync(record.CloudId, "https://contoso.example/aws", FederationNames.AwsSignInUrl);
            return null;
        });

        var finding = Assert.Single((await fixture.CheckAsync(environment.Id, "identifier")).Findings);
        Assert.Equal(DoctorStatus.Failed, finding.Status);
        Assert.Contains("https://contoso.example/aws", finding.Explanation);

        var fixedIt = await fixture.FixAsync(environment.Id, finding);
        Assert.Contains("https://signin.aws.amazon.com/saml#", fixedIt.Summary);
        Assert.Equal(DoctorStatus.Passed, (await fixture.CheckAsync(environment.Id, "identifier")).Status);
        Assert.True((await fixture.SignInAsync(environment.Id, role)).Success);
    }

    [Fact]
    public async Task Provisioning_job_gone_from_entra_is_a_failure()
    {
        var environment = await fixture.SetUpAsync();
        await fixture.WithAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<IResourceInventory>().UpsertAsync(new ManagedResource
            {
                EnvironmentId = environment.Id, Type = ResourceTypes.SyncJob, Key = ResourceTypes.SingletonKey, CloudId = "aws.0f0e0d0c0b0a", CreatedAt = DateTimeOffset.UtcNow,
            });
            return null;
        });

        var finding = Assert.Single((await fixture.CheckAsync(environment.Id, "provisioning-job")).Findings);
        Assert.Equal(DoctorStatus.Failed, finding.Status);
        Assert.Contains("no longer exists", finding.Explanation);
    }

    [Fact]
    public async Task A_reader_may_run_the_checks_but_not_fix_and_the_refusal_is_audited()
    {
        var reader = new PortalActor("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f02", "Megan Bowen", [PortalRoles.Reader]);
        await Assert.ThrowsAsync<PortalAuthorizationException>(() => fixture.WithAsync(sp =>
            sp.GetRequiredService<DoctorService>().FixAsync(reader, fixture.Healthy.Id, DoctorFixes.TrustPolicy, "Healthy-ReadOnly")));

        var audit = await fixture.WithAsync(sp => sp.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery { Action = "doctor.fix.trust-policy", EnvironmentId = fixture.Healthy.Id }));
        Assert.Equal(AuditOutcome.Denied, Assert.Single(audit.Items).Outcome);
    }

    private static string RolePrefix(FederationEnvironment environment) => "Dr" + environment.Name["Doctor case ".Length..];

    private Task<IReadOnlyList<ManagedResource>> Inventory(FederationEnvironment environment)
        => fixture.WithAsync(sp => sp.GetRequiredService<SetupService>().GetInventoryAsync(environment.Id));

    private async Task<AppAttributes> AppAsync(FederationEnvironment environment)
    {
        var record = (await Inventory(environment)).Single(r => r.Type == ResourceTypes.Application);
        return System.Text.Json.JsonSerializer.Deserialize<AppAttributes>(record.Attributes!, EnvironmentSpec.Json)!;
    }

    private static Task<string> ProviderArnAsync(FederationEnvironment environment)
        => Task.FromResult(FederationNames.ProviderArn(environment, new EnvironmentSpec()));

    private sealed class SyncProgress(Action<DoctorProgress> report) : IProgress<DoctorProgress>
    {
        public void Report(DoctorProgress value) => report(value);
    }
}

public sealed class DoctorOptionsTests
{
    [Fact]
    public void Certificate_warning_threshold_comes_from_Portal_Doctor_configuration()
    {
        static DoctorOptions Resolve(string? days)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(days is null ? [] : new Dictionary<string, string?> { ["Portal:Doctor:CertificateExpiryWarningDays"] = days })
                .Build();
            return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddDoctor()
                .BuildServiceProvider().GetRequiredService<DoctorOptions>();
        }

        Assert.Equal(30, Resolve(null).CertificateExpiryWarningDays);
        Assert.Equal(60, Resolve("60").CertificateExpiryWarningDays);
        var bad = Assert.Throws<InvalidOperationException>(() => Resolve("soon"));
        Assert.Contains("Portal:Doctor:CertificateExpiryWarningDays", bad.Message);
    }
}
