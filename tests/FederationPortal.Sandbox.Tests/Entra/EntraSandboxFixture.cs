using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FederationPortal.Core.Entra;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Sandbox.Tests.Entra;

/// <summary>One portal (with its sandbox tenant) for a test class, plus helpers to talk raw HTTP to its Graph.</summary>
public sealed class EntraSandboxFixture : IAsyncLifetime
{
    public const string TenantId = "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63";
    public const string ClientId = "5c1d9e2a-7f3b-4c8d-a6e1-0b9f2d4c7e15";
    public const string ClientSecret = "sandbox-graph-client-secret-not-a-real-one";

    public EmulatorHost Host { get; } = new(new Dictionary<string, string?> { ["Sandbox:InstantiateDelayMilliseconds"] = "400" });

    /// <summary>The connector, through the real Graph SDK.</summary>
    public IEntraDirectoryService Entra => Host.Services.GetRequiredService<IEntraDirectoryService>();

    public ValueTask InitializeAsync()
    {
        _ = Host.BaseAddress;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        using var client = Host.CreateRealClient();
        using var response = await client.PostAsync($"sandbox/login/{TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        }), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>An HttpClient on <c>/sandbox/graph/v1.0/</c> with a valid bearer token.</summary>
    public async Task<HttpClient> GraphClientAsync(CancellationToken cancellationToken)
    {
        var client = new HttpClient { BaseAddress = new Uri(Host.BaseAddress + "/sandbox/graph/v1.0/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await GetTokenAsync(cancellationToken));
        return client;
    }

    /// <summary>Creates a SAML-ready AWS app through the connector: SAML mode, URLs, an active certificate, the AWS claims policy.</summary>
    public async Task<SamlApp> CreateSamlAppAsync(string name, string identifier, CancellationToken cancellationToken)
    {
        var app = await Entra.InstantiateAwsAppAsync(name, cancellationToken);
        var spId = app.ServicePrincipal.Id;
        await Entra.SetSamlSingleSignOnAsync(spId, cancellationToken);
        await Entra.SetSamlUrlsAsync(app.Application.Id, identifier, EntraWellKnown.AwsSignInUrl, cancellationToken);
        var certificate = await Entra.AddTokenSigningCertificateAsync(spId, $"CN={name}", DateTimeOffset.UtcNow.AddYears(1), cancellationToken);
        await Entra.SetPreferredTokenSigningThumbprintAsync(spId, certificate.Thumbprint, cancellationToken);
        var policyId = await Entra.CreateClaimsMappingPolicyAsync($"{name} claims", EntraWellKnown.AwsClaimsMappingDefinition(7200), cancellationToken);
        await Entra.AssignClaimsMappingPolicyAsync(spId, policyId, cancellationToken);
        return new SamlApp(app.Application.Id, app.Application.AppId, spId, certificate, policyId);
    }
}

public sealed record SamlApp(string ApplicationId, string AppId, string ServicePrincipalId, EntraSigningCertificate Certificate, string PolicyId);

/// <summary>Debian's xmlsec1, verifying a signature independently of .NET with a given certificate.</summary>
public static class XmlSec
{
    public const string Path = "/usr/bin/xmlsec1";

    public static (int ExitCode, string Output) Verify(string xml, string idAttribute, byte[] certificateDer)
    {
        if (!File.Exists(Path))
        {
            Assert.Skip("xmlsec1 is not installed (apt-get install xmlsec1).");
        }

        var directory = Directory.CreateTempSubdirectory("fp-xmlsec-");
        try
        {
            var document = System.IO.Path.Combine(directory.FullName, "doc.xml");
            var certificate = System.IO.Path.Combine(directory.FullName, "cert.pem");
            File.WriteAllText(document, xml);
            File.WriteAllText(certificate, System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", certificateDer));
            var start = new ProcessStartInfo(Path)
            {
                ArgumentList = { "--verify", "--id-attr:ID", idAttribute, "--pubkey-cert-pem", certificate, document },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
