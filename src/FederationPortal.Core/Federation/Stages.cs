namespace FederationPortal.Core.Federation;

/// <summary>The setup wizard's stages, in order, with the titles the pages show.</summary>
public static class Stages
{
    public const string Connect = "connect";
    public const string App = "app";
    public const string Metadata = "metadata";
    public const string Roles = "roles";
    public const string Provisioning = "provisioning";
    public const string Assignments = "assignments";
    public const string SignInTest = "signin-test";

    /// <summary>Every action of a teardown plan: teardown is not a wizard stage.</summary>
    public const string Teardown = "teardown";

    public static readonly IReadOnlyList<string> Ordered = [Connect, App, Metadata, Roles, Provisioning, Assignments, SignInTest];

    public static string Title(string stage) => stage switch
    {
        Connect => "Connect",
        App => "App registration",
        Metadata => "Metadata exchange",
        Roles => "Role creation",
        Provisioning => "Provisioning",
        Assignments => "User assignment",
        SignInTest => "Sign-in test",
        _ => stage,
    };
}
