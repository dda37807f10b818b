using Bunit;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Web.Components.Pages.Environments.Components;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Components;

/// <summary>Each stage of the setup wizard, rendered on its own over in-memory stores and stubbed cloud ports.</summary>
public sealed class WizardStageTests : PortalComponentTest
{
    private readonly FederationEnvironment environment = new()
    {
        Id = Guid.NewGuid(),
        Name = "Contoso",
        EntraTenantId = "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63",
        AwsAccountId = "111122223333",
    };

    public WizardStageTests() => Store.Items.Add(environment);

    private Plan PlanFor(EnvironmentSpec spec)
    {
        environment.DesiredStateJson = spec.ToJson();
        return Services.GetRequiredService<FederationPlanner>().PlanApply(environment, spec, []);
    }

    [Fact]
    public void Connect_stage_runs_the_preflight_and_names_each_missing_aws_permission()
    {
        Services.AddSingleton(PortStub<IEntraDirectoryService>.Create(new()
        {
            ["GetAwsTemplateAsync"] = _ => Task.FromResult(new EntraApplicationTemplate(EntraWellKnown.AwsSingleAccountTemplateId, "AWS Single-Account Access", "Amazon", ["saml"])),
            ["ListUsersAsync"] = _ => Task.FromResult<IReadOnlyList<EntraUser>>([]),
            ["GetGrantedApplicationPermissionsAsync"] = _ => Task.FromResult<IReadOnlyList<string>>(
                PreflightService.RequiredGraphPermissions.Where(p => p != "Synchronization.ReadWrite.All").ToList()),
        }));
        Services.AddSingleton(PortStub<IAwsSts>.Create(new()
        {
            ["GetCallerIdentityAsync"] = _ => Task.FromResult(new AwsCallerIdentity("111122223333", "arn:aws:iam::111122223333:user/portal", "AIDAEXAMPLE")),
        }));
        Services.AddSingleton(PortStub<IAwsIam>.Create(new()
        {
            ["SimulatePrincipalPolicyAsync"] = args => Task.FromResult<IReadOnlyList<IamSimulationResult>>(((IReadOnlyList<string>)args[1]!)
                .Select(a => new IamSimulationResult(a, "*", a is "iam:CreateRole" or "iam:DeleteRole" ? "implicitDeny" : "allowed")).ToList()),
        }));
        Services.AddSingleton<PreflightService>();

        var panel = Render<ConnectPanel>(p => p.Add(c => c.Environment, environment));
        panel.Find("[data-testid=run-preflight]").Click();

        panel.WaitForAssertion(() =>
        {
            var results = panel.Find("[data-testid=preflight-results]").TextContent;
            Assert.Contains("Not allowed: iam:CreateRole, iam:DeleteRole.", results);
            Assert.Contains("Not granted: Synchronization.ReadWrite.All.", results);
            Assert.Contains("gallery template 'AWS Single-Account Access'", results);
        });
    }

    [Fact]
    public async Task App_stage_shows_its_plan_with_the_json_it_will_send_and_apply_starts_an_operation()
    {
        SignInAsAdmin();
        var plan = PlanFor(new EnvironmentSpec());

        var stage = Render<StagePlan>(p => p.Add(s => s.EnvironmentId, environment.Id).Add(s => s.Stage, Stages.App).Add(s => s.Plan, plan));
        Assert.Equal(4, stage.FindAll("[data-testid=plan-action]").Count);
        Assert.All(stage.FindAll("[data-testid=plan-action]"), row => Assert.Equal("Create", row.GetAttribute("data-change")));
        Assert.Contains("assignedroles", stage.Markup);

        stage.Find("[data-testid=apply-app]").Click();

        stage.WaitForAssertion(() => Assert.NotNull(stage.Find("[data-testid=operation-progress]")));
        var operation = Assert.Single(await Operations.ListUnfinishedAsync(Xunit.TestContext.Current.CancellationToken));
        Assert.Equal(Stages.App, (await Operations.FindAsync(operation, Xunit.TestContext.Current.CancellationToken))!.Stage);
    }

    [Fact]
    public async Task Metadata_stage_refuses_to_apply_before_the_app_stage_and_says_which_stage_comes_first()
    {
        SignInAsAdmin();
        var plan = PlanFor(new EnvironmentSpec());

        var stage = Render<StagePlan>(p => p.Add(s => s.EnvironmentId, environment.Id).Add(s => s.Stage, Stages.Metadata).Add(s => s.Plan, plan));
        stage.Find("[data-testid=apply-metadata]").Click();

        stage.WaitForAssertion(() => Assert.Contains("Apply the App registration stage first", stage.Find("[data-testid=apply-error]").TextContent));
        Assert.Empty(await Operations.ListUnfinishedAsync(Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Roles_stage_adds_a_role_and_flags_a_role_claim_entra_would_not_import()
    {
        var spec = new EnvironmentSpec { SamlProviderName = new string('p', 128) };
        var roles = new List<RoleSpec>();
        var editor = Render<RolesEditor>(p => p.Add(r => r.Environment, environment).Add(r => r.Spec, spec).Add(r => r.Roles, roles));

        editor.Find("#role-name").Change(new string('r', 64));
        editor.Find("[data-testid=add-role]").Click();

        var row = editor.Find("[data-testid=role-row]");
        Assert.Contains("264 / 239", row.TextContent);
        Assert.Contains("mud-error-text", row.InnerHtml);
        Assert.Contains("sts:AssumeRoleWithSAML", editor.Markup);
        Assert.Single(roles);
    }

    [Fact]
    public void A_reader_finds_the_role_and_assignment_editors_locked_and_told_why()
    {
        SignInAsReader();
        Services.AddSingleton(PortStub<IEntraDirectoryService>.Create([]));
        var spec = new EnvironmentSpec();
        var roles = new List<RoleSpec> { new() { Name = "ReadOnly" } };
        var assignments = new List<AssignmentSpec>
        {
            new() { PrincipalId = Guid.NewGuid().ToString(), PrincipalType = PrincipalKind.User, PrincipalName = "diego@contoso.example", RoleName = "ReadOnly" },
        };

        var rolesEditor = Render<RolesEditor>(p => p.Add(r => r.Environment, environment).Add(r => r.Spec, spec).Add(r => r.Roles, roles).Add(r => r.ReadOnly, true));
        var assignmentsEditor = Render<AssignmentsEditor>(p => p.Add(a => a.Roles, roles).Add(a => a.Assignments, assignments).Add(a => a.ReadOnly, true));

        Assert.True(rolesEditor.Find("#role-name").HasAttribute("disabled"));
        Assert.True(rolesEditor.Find("[data-testid=add-role]").HasAttribute("disabled"));
        Assert.True(rolesEditor.Find("[aria-label='Remove ReadOnly']").HasAttribute("disabled"));
        Assert.Contains("Only an Admin can add or remove roles", rolesEditor.Find("[data-testid=roles-readonly]").TextContent);
        Assert.True(assignmentsEditor.Find("#assignment-principal").HasAttribute("disabled"));
        Assert.True(assignmentsEditor.Find("[data-testid=add-assignment]").HasAttribute("disabled"));
        Assert.True(assignmentsEditor.Find("[aria-label='Remove diego@contoso.example']").HasAttribute("disabled"));
        Assert.Contains("Only an Admin can assign", assignmentsEditor.Find("[data-testid=assignments-readonly]").TextContent);
        Assert.Single(roles);
        Assert.Single(assignments);
    }

    [Fact]
    public void Provisioning_stage_is_hidden_from_readers_who_see_the_plan_but_no_apply_button()
    {
        SignInAsReader();
        var plan = PlanFor(new EnvironmentSpec { Roles = [new RoleSpec { Name = "ReadOnly" }] });

        var stage = Render<StagePlan>(p => p.Add(s => s.EnvironmentId, environment.Id).Add(s => s.Stage, Stages.Provisioning).Add(s => s.Plan, plan));

        Assert.Contains("iam:ListRoles", stage.Markup);
        Assert.Empty(stage.FindAll("[data-testid=apply-provisioning]"));
    }

    [Fact]
    public void Assignments_stage_shows_the_review_matrix_and_exports_it_as_csv()
    {
        Services.AddSingleton(PortStub<IEntraDirectoryService>.Create([]));
        var assignments = new List<AssignmentSpec>
        {
            new() { PrincipalId = Guid.NewGuid().ToString(), PrincipalType = PrincipalKind.User, PrincipalName = "diego@contoso.example", RoleName = "ReadOnly" },
            new() { PrincipalId = Guid.NewGuid().ToString(), PrincipalType = PrincipalKind.Group, PrincipalName = "AWS Administrators", RoleName = "Administrator" },
        };
        RoleSpec[] roles = [new() { Name = "Administrator" }, new() { Name = "ReadOnly" }];

        var editor = Render<AssignmentsEditor>(p => p.Add(a => a.Roles, roles).Add(a => a.Assignments, assignments));

        Assert.Equal(2, editor.FindAll("[data-testid=matrix-row]").Count);
        var csv = Uri.UnescapeDataString(editor.Find("[data-testid=assignments-csv]").GetAttribute("href")!["data:text/csv;charset=utf-8,".Length..]);
        Assert.Equal("principal,type,Administrator,ReadOnly\nAWS Administrators,Group,yes,\ndiego@contoso.example,User,,yes\n", csv);
    }

    [Fact]
    public void Sign_in_test_stage_asks_for_a_pasted_response_when_the_tenant_is_real()
    {
        Services.AddSingleton(PortStub<ISamlSignInSource>.Create(new() { ["get_IsAvailable"] = _ => false }));
        Services.AddSingleton(PortStub<IAwsIam>.Create([]));
        Services.AddSingleton(PortStub<IAwsSts>.Create([]));
        Services.AddSingleton<SignInTestService>();

        var panel = Render<SignInTestPanel>(p => p.Add(s => s.EnvironmentId, environment.Id).Add(s => s.Spec, new EnvironmentSpec()).Add(s => s.People, []));

        Assert.NotNull(panel.Find("#pasted-response"));
        Assert.Empty(panel.FindAll("[data-testid=run-signin-test]"));
    }

    [Fact]
    public async Task Teardown_needs_the_environment_name_typed_before_it_can_start()
    {
        SignInAsAdmin();
        await Inventory.UpsertAsync(new ManagedResource { EnvironmentId = environment.Id, Type = ResourceTypes.Role, Key = "ReadOnly", CloudId = "arn:aws:iam::111122223333:role/ReadOnly" }, Xunit.TestContext.Current.CancellationToken);
        var panel = Render<TeardownPanel>(p => p.Add(t => t.Environment, environment));

        panel.Find("[data-testid=plan-teardown]").Click();
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=teardown-action]")));
        Assert.True(panel.Find("[data-testid=confirm-teardown]").HasAttribute("disabled"));

        panel.Find("#teardown-confirm").Input("Contoso");
        panel.WaitForAssertion(() => Assert.False(panel.Find("[data-testid=confirm-teardown]").HasAttribute("disabled")));
    }
}
