using Bunit;
using FederationPortal.Core.Security;
using FederationPortal.Web.Components.Pages.Settings.Components;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Components;

public sealed class LiveCredentialsPanelTests : PortalComponentTest
{
    private readonly InMemorySecretStore secrets = new();

    public LiveCredentialsPanelTests()
    {
        Services.AddSingleton<IStoredSecretStore>(secrets);
        Services.AddSingleton<ISecretProtector, ReversingProtector>();
        Services.AddSingleton<StoredSecretService>();
    }

    [Fact]
    public void An_admin_stores_a_client_secret_encrypted_and_the_fields_are_cleared()
    {
        SignInAsAdmin();
        var panel = Render<LiveCredentialsPanel>();

        panel.Find("#secret-portal-entra-clientsecret").Change("Zq8~PanelClientSecret.0123456789");
        panel.Find("[data-testid=save-secrets]").Click();

        panel.WaitForAssertion(() => Assert.Contains("by Adele Vance", panel.FindAll("[data-testid=secret-row]")[0].TextContent));
        var stored = Assert.Single(secrets.Items.Values);
        Assert.Equal(StoredSecretService.EntraClientSecret, stored.Name);
        Assert.NotEqual("Zq8~PanelClientSecret.0123456789", stored.Ciphertext);
        Assert.Equal(string.Empty, panel.Find("#secret-portal-entra-clientsecret").GetAttribute("value") ?? string.Empty);
    }

    [Fact]
    public void An_access_key_without_its_secret_is_refused_on_the_field_and_nothing_is_stored()
    {
        SignInAsAdmin();
        var panel = Render<LiveCredentialsPanel>();

        panel.Find("#secret-portal-aws-accesskeyid").Change("AKIAIOSFODNN7EXAMPLE");
        panel.Find("[data-testid=save-secrets]").Click();

        panel.WaitForAssertion(() => Assert.Contains("go together", panel.Markup));
        Assert.Empty(secrets.Items);
        Assert.Contains(Audit.Events, e => e.Action == "settings.secret.set" && e.Outcome == Core.Audit.AuditOutcome.Failure);
    }

    [Fact]
    public void A_reader_sees_what_is_stored_but_no_fields_and_no_remove_button()
    {
        secrets.Items[StoredSecretService.EntraClientSecret] = new StoredSecret { Name = StoredSecretService.EntraClientSecret, Ciphertext = "x", UpdatedBy = "Adele Vance", UpdatedAt = DateTimeOffset.UtcNow };
        SignInAsReader();
        var panel = Render<LiveCredentialsPanel>();

        Assert.Contains("by Adele Vance", panel.Markup);
        Assert.Empty(panel.FindAll("input"));
        Assert.Empty(panel.FindAll("[data-testid=remove-secret]"));
    }

    private sealed class ReversingProtector : ISecretProtector
    {
        public string Protect(string plaintext) => "enc:" + new string(plaintext.Reverse().ToArray());

        public string Unprotect(string ciphertext) => new(ciphertext[4..].Reverse().ToArray());
    }

    private sealed class InMemorySecretStore : IStoredSecretStore
    {
        public Dictionary<string, StoredSecret> Items { get; } = new(StringComparer.Ordinal);

        public Task<IReadOnlyList<StoredSecret>> ListAsync(CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<StoredSecret>>(Items.Values.ToList());

        public Task UpsertAsync(StoredSecret secret, CancellationToken cancellationToken = default)
        {
            Items[secret.Name] = secret;
            return Task.CompletedTask;
        }

        public Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(Items.Remove(name));
    }
}
