using FederationPortal.Sandbox.Aws.Protocol;

namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>The account's alias and SimulatePrincipalPolicy over the caller's policies.</summary>
internal sealed partial class SandboxIamService
{
    private IEnumerable<object?> ListAccountAliases(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.Members("AccountAliases", [$"sandbox-{Account}"]);
        yield return X.E("IsTruncated", "false");
    }

    private IEnumerable<object?> SimulatePrincipalPolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var source = request.Required("PolicySourceArn");
        var actions = request.List("ActionNames");
        if (actions.Count == 0)
        {
            throw AwsQueryError.Constraint(null, "actionNames", "Member must not be null");
        }

        var resources = request.List("ResourceArns") is { Count: > 0 } listed ? listed : ["*"];
        var principal = PrincipalFor(source);
        var results = new List<object[]>();
        foreach (var action in actions)
        {
            foreach (var resource in resources)
            {
                var decision = Decide(principal, action, resource);
                results.Add(
                [
                    X.E("EvalActionName", action),
                    X.E("EvalResourceName", resource),
                    X.E("EvalDecision", decision switch { PolicyDecision.Allowed => "allowed", PolicyDecision.ExplicitDeny => "explicitDeny", _ => "implicitDeny" }),
                    X.E("MatchedStatements"),
                    X.E("MissingContextValues"),
                ]);
            }
        }

        yield return X.Members("EvaluationResults", results);
        yield return X.E("IsTruncated", "false");
    }

    private AwsCaller PrincipalFor(string arn)
    {
        var userPrefix = $"arn:aws:iam::{Account}:user/";
        var rolePrefix = $"arn:aws:iam::{Account}:role/";
        if (arn.StartsWith(userPrefix, StringComparison.Ordinal) && state.User(arn[(arn.LastIndexOf('/') + 1)..]) is { } user)
        {
            return new AwsCaller(AwsCallerKind.User, arn, user.UserId, UserName: user.UserName);
        }

        if (arn.StartsWith(rolePrefix, StringComparison.Ordinal) && state.Role(arn[(arn.LastIndexOf('/') + 1)..]) is { } role)
        {
            return new AwsCaller(AwsCallerKind.RoleSession, arn, role.RoleId, RoleName: role.RoleName);
        }

        throw AwsQueryError.NoSuchEntity($"The entity {arn} cannot be found.");
    }
}
