using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace FederationPortal.Web.Endpoints;

/// <summary>Creating an environment through the API: the environment's identity and, optionally, its desired state.</summary>
public sealed record CreateEnvironmentRequest(string Name, string EntraTenantId, string AwsAccountId, string? Description, EnvironmentSpec? DesiredState);

/// <summary>A sandbox sign-in test: who signs in, and which role they assume.</summary>
public sealed record SignInTestRequest(string? User, string? RoleName);

/// <summary>A SAMLResponse copied from the browser (base64, as posted to signin.aws.amazon.com).</summary>
public sealed record PastedSignInTestRequest(string? SamlResponse, string? RoleName, bool? CallSts);

/// <summary>Teardown must be confirmed with the environment's exact name.</summary>
public sealed record TeardownRequest(string ConfirmName);

/// <summary>An environment with its desired state and what the portal created for it.</summary>
public sealed record EnvironmentResponse(FederationEnvironment Environment, EnvironmentSpec DesiredState, IReadOnlyList<ManagedResource> Inventory);

/// <summary>
/// The HTTP API: the same services, authorization and audit as the UI. Authenticate with an API token
/// (<c>Authorization: Bearer fpt_…</c>, created in Settings) or the browser's session.
/// </summary>
public static class EnvironmentApi
{
    public static void MapEnvironmentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(PortalPolicies.CanRead).AddEndpointFilter<PortalExceptionFilter>();

        var environments = api.MapGroup("/environments").WithTags("Environments");
        environments.MapGet("/", async (EnvironmentService service, CancellationToken ct) => Results.Ok(await service.ListAsync(ct)))
            .WithName("ListEnvironments").WithSummary("Every environment.");
        environments.MapPost("/", CreateAsync)
            .WithName("CreateEnvironment").WithSummary("Create an environment, optionally with its desired state.");
        environments.MapGet("/{id:guid}", async (Guid id, SetupService setup, CancellationToken ct) =>
                Results.Ok(new EnvironmentResponse(await setup.GetEnvironmentAsync(id, ct), await setup.GetSpecAsync(id, ct), await setup.GetInventoryAsync(id, ct))))
            .WithName("GetEnvironment").WithSummary("An environment, its desired state and its inventory.");
        environments.MapPut("/{id:guid}/desired-state", async (Guid id, EnvironmentSpec spec, SetupService setup, HttpContext http, CancellationToken ct) =>
            {
                await setup.SaveSpecAsync(PortalClaims.ToActor(http.User), id, spec, ct);
                return Results.Ok(await setup.GetSpecAsync(id, ct));
            })
            .WithName("SaveDesiredState").WithSummary("Replace the desired state (validated; nothing changes on the clouds until apply).");
        environments.MapPost("/{id:guid}/plan", async (Guid id, SetupService setup, CancellationToken ct) => Results.Ok(await setup.PlanAsync(id, ct)))
            .WithName("PlanEnvironment").WithSummary("What apply would create, update or delete.");
        environments.MapPost("/{id:guid}/apply", async (Guid id, [FromQuery] string? stage, SetupService setup, HttpContext http, CancellationToken ct) =>
            {
                var operation = await setup.ApplyAsync(PortalClaims.ToActor(http.User), id, stage, ct);
                return Results.Accepted($"/api/operations/{operation.Id}", operation);
            })
            .WithName("ApplyEnvironment").WithSummary("Start applying the plan (or one stage of it) as a durable operation.");
        environments.MapPost("/{id:guid}/teardown", async (Guid id, TeardownRequest request, SetupService setup, HttpContext http, CancellationToken ct) =>
            {
                var operation = await setup.TeardownAsync(PortalClaims.ToActor(http.User), id, request.ConfirmName, ct);
                return Results.Accepted($"/api/operations/{operation.Id}", operation);
            })
            .WithName("TeardownEnvironment").WithSummary("Delete everything the portal created for the environment, on both clouds (confirm with its name).");
        environments.MapPost("/{id:guid}/teardown/plan", async (Guid id, SetupService setup, CancellationToken ct) => Results.Ok(await setup.PlanTeardownAsync(id, ct)))
            .WithName("PlanTeardown").WithSummary("What teardown would delete.");
        environments.MapPost("/{id:guid}/signin-test", async (Guid id, SignInTestRequest request, SignInTestService signIn, HttpContext http, CancellationToken ct) =>
            {
                if (!signIn.CanSignInDirectly)
                {
                    throw new PortalValidationException(new Dictionary<string, string> { ["user"] = "Live mode cannot sign a user in for you: sign in at myapps.microsoft.com and post the SAMLResponse to signin-test/pasted." });
                }

                return Results.Ok(await signIn.SignInAsync(PortalClaims.ToActor(http.User), id, RequiredField(request.User, "user"), RequiredField(request.RoleName, "roleName"), ct));
            })
            .WithName("RunSignInTest").WithSummary("Sandbox: sign a user in through Entra and assume a role with the SAML response (readers may; audited).");
        environments.MapPost("/{id:guid}/signin-test/pasted", async (Guid id, PastedSignInTestRequest request, SignInTestService signIn, HttpContext http, CancellationToken ct) =>
                Results.Ok(await signIn.CheckPastedResponseAsync(PortalClaims.ToActor(http.User), id, RequiredField(request.SamlResponse, "samlResponse"), request.RoleName, request.CallSts ?? false, ct)))
            .WithName("CheckSamlResponse").WithSummary("Check a SAMLResponse (base64) against AWS's rules and, when asked, call AssumeRoleWithSAML with it (readers may; audited).");
        environments.MapGet("/{id:guid}/operations", async (Guid id, SetupService setup, CancellationToken ct) => Results.Ok(await setup.ListOperationsAsync(id, 50, ct)))
            .WithName("ListOperations");

        var operations = api.MapGroup("/operations").WithTags("Operations");
        operations.MapGet("/{id:guid}", async (Guid id, SetupService setup, CancellationToken ct) =>
                await setup.GetOperationAsync(id, ct) is { } operation ? Results.Ok(operation) : Results.Problem(statusCode: 404, title: $"There is no operation {id}."))
            .WithName("GetOperation").WithSummary("An operation's status and its actions' progress.");
        operations.MapPost("/{id:guid}/cancel", async (Guid id, SetupService setup, HttpContext http, CancellationToken ct) =>
            {
                await setup.CancelAsync(PortalClaims.ToActor(http.User), id, ct);
                return Results.Accepted($"/api/operations/{id}");
            })
            .WithName("CancelOperation").WithSummary("Stop an operation between actions.");

        api.MapGet("/orphans", async (OrphanScanner scanner, CancellationToken ct) => Results.Ok(await scanner.ScanAsync(ct)))
            .WithTags("Environments").WithName("ScanOrphans").WithSummary("AWS resources tagged as the portal's that belong to no live environment.");

        api.MapGet("/audit", async ([AsParameters] AuditQueryParameters query, IAuditTrail trail, CancellationToken ct) => Results.Ok(await trail.QueryAsync(query.ToQuery(), ct)))
            .WithTags("Audit").WithName("QueryAudit").WithSummary("A page of audit events, filtered and sorted.");
    }

    private static string RequiredField(string? value, string field)
        => string.IsNullOrWhiteSpace(value)
            ? throw new PortalValidationException(new Dictionary<string, string> { [field] = $"'{field}' is required." })
            : value;

    private static async Task<IResult> CreateAsync(
        CreateEnvironmentRequest request, EnvironmentService environments, SetupService setup, IAuditTrail audit, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var actor = PortalClaims.ToActor(http.User);
        var draft = new EnvironmentDraft(request.Name, request.EntraTenantId, request.AwsAccountId, request.Description);
        if (actor.IsAdmin && request.DesiredState is not null)
        {
            // All or nothing: a desired state that would be refused must not leave an environment without it behind.
            var provisional = new FederationEnvironment { Name = (request.Name ?? string.Empty).Trim(), EntraTenantId = request.EntraTenantId ?? string.Empty, AwsAccountId = request.AwsAccountId ?? string.Empty };
            var errors = new Dictionary<string, string>(await environments.ValidateAsync(draft, null, ct), StringComparer.Ordinal);
            foreach (var (field, message) in SpecValidator.Validate(provisional, request.DesiredState, clock.GetUtcNow()))
            {
                errors[$"desiredState.{field}"] = message;
            }

            if (errors.Count > 0)
            {
                var failure = new PortalValidationException(errors);
                await audit.RecordAsync(new AuditEntry
                {
                    ActorId = actor.Id,
                    ActorName = actor.DisplayName,
                    Action = "environment.create",
                    Outcome = AuditOutcome.Failure,
                    TargetType = "Environment",
                    TargetId = draft.Name,
                    ErrorMessage = failure.Message,
                }, ct);
                throw failure;
            }
        }

        var created = await environments.CreateAsync(actor, draft, ct);
        if (request.DesiredState is not null)
        {
            await setup.SaveSpecAsync(actor, created.Id, request.DesiredState, ct);
        }

        return Results.Created($"/api/environments/{created.Id}",
            new EnvironmentResponse(await setup.GetEnvironmentAsync(created.Id, ct), await setup.GetSpecAsync(created.Id, ct), []));
    }
}

/// <summary>Query-string filters of <c>GET /api/audit</c>.</summary>
public sealed record AuditQueryParameters(
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? ActorId,
    string? Action,
    Guid? EnvironmentId,
    AuditOutcome? Outcome,
    string? Search,
    AuditSortField? SortBy,
    bool? Descending,
    int? Page,
    int? PageSize)
{
    public AuditQuery ToQuery() => new()
    {
        From = From,
        To = To,
        ActorId = ActorId,
        Action = Action,
        EnvironmentId = EnvironmentId,
        Outcome = Outcome,
        Search = Search,
        SortBy = SortBy ?? AuditSortField.Time,
        Descending = Descending ?? true,
        Page = Page ?? 0,
        PageSize = Math.Clamp(PageSize ?? 50, 1, 500),
    };
}

/// <summary>Turns the services' exceptions into problem responses: 400 naming each field, 403, 404.</summary>
internal sealed class PortalExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PortalValidationException ex)
        {
            return Results.ValidationProblem(ex.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }), title: "The request cannot be accepted as it is.");
        }
        catch (PortalAuthorizationException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: ex.Message);
        }
        catch (PortalNotFoundException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: ex.Message);
        }
    }
}
