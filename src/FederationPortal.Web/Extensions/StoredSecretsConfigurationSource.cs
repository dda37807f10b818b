using System.Security.Cryptography;
using FederationPortal.Core.Security;
using FederationPortal.Data.Security;
using Microsoft.AspNetCore.DataProtection;

namespace FederationPortal.Web.Extensions;

/// <summary>
/// The secrets an admin stored in Settings, decrypted with the portal's key ring and offered as configuration
/// (e.g. <c>Portal:Entra:ClientSecret</c>). Read once at start; Settings says a change applies after a restart.
/// A secret that no longer decrypts (its key ring was deleted) is skipped with a message on the console rather than
/// stopping the portal, so Live validation can name the missing key.
/// </summary>
internal sealed class StoredSecretsConfigurationSource(string dataDirectory) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(dataDirectory);

    /// <summary>The same key ring and application name as the web host's Data Protection.</summary>
    public static IDataProtectionProvider CreateProtectionProvider(string dataDirectory)
        => DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(dataDirectory, "keys")), b => b.SetApplicationName(PortalHostingExtensions.DataProtectionApplicationName));

    private sealed class Provider(string dataDirectory) : ConfigurationProvider
    {
        public override void Load()
        {
            var ciphertexts = StoredSecretsReader.ReadCiphertexts(dataDirectory);
            if (ciphertexts.Count == 0)
            {
                return;
            }

            var protector = CreateProtectionProvider(dataDirectory).CreateProtector(StoredSecretService.ProtectionPurpose);
            foreach (var (name, ciphertext) in ciphertexts)
            {
                try
                {
                    Data[name] = protector.Unprotect(ciphertext);
                }
                catch (CryptographicException)
                {
                    Console.Error.WriteLine($"The stored secret '{name}' could not be decrypted (was the data folder's keys/ directory replaced?). Enter it again in Settings.");
                }
            }
        }
    }
}
