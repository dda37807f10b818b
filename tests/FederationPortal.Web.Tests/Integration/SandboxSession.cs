using System.Net;
using System.Text.RegularExpressions;
using FederationPortal.TestSupport;

namespace FederationPortal.Web.Tests.Integration;

/// <summary>Signs in through the real sandbox sign-in form (antiforgery token included), as a browser would.</summary>
internal static partial class SandboxSession
{
    public const string AdminId = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f01";
    public const string ReaderId = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f02";
    public const string NoRoleId = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f03";
    public const string DisabledId = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f07";

    public static async Task<string> GetAntiforgeryTokenAsync(HttpClient client, string path = "account/signin")
    {
        var html = await client.GetStringAsync(path);
        return TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token on " + path);
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userId, string returnUrl = "/")
    {
        var token = await GetAntiforgeryTokenAsync(client);
        return await client.PostAsync("account/sandbox-signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userId"] = userId,
            ["returnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = token,
        }));
    }

    public static async Task<HttpClient> SignedInClientAsync(PortalHost host, string userId)
    {
        var client = host.CreateRealClient();
        var response = await SignInAsync(client, userId);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("error", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"Sign-in as {userId} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
