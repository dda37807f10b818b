using System.Globalization;
using FederationPortal.Core.Doctor.Checks;
using FederationPortal.Core.Doctor.Fixes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FederationPortal.Core.Doctor;

public static class DoctorServiceCollectionExtensions
{
    /// <summary>
    /// The doctor's checks (in the order they run), its fixes and <see cref="DoctorService"/>. <see cref="DoctorOptions"/>
    /// come from <c>Portal:Doctor</c> (e.g. <c>Portal:Doctor:CertificateExpiryWarningDays</c>) unless registered before.
    /// </summary>
    public static IServiceCollection AddDoctor(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var options = new DoctorOptions();
            var days = sp.GetService<IConfiguration>()?["Portal:Doctor:CertificateExpiryWarningDays"];
            if (days is not null)
            {
                options.CertificateExpiryWarningDays = int.TryParse(days, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0
                    ? parsed
                    : throw new InvalidOperationException($"Portal:Doctor:CertificateExpiryWarningDays must be a whole number of days (0 or more), not '{days}'.");
            }

            return options;
        });
        services.AddScoped<IDoctorCheck, SigningCertificateInProviderCheck>();
        services.AddScoped<IDoctorCheck, SigningCertificateExpiryCheck>();
        services.AddScoped<IDoctorCheck, ClaimsPolicyCheck>();
        services.AddScoped<IDoctorCheck, IdentifierCheck>();
        services.AddScoped<IDoctorCheck, AppRolesCheck>();
        services.AddScoped<IDoctorCheck, TrustPolicyCheck>();
        services.AddScoped<IDoctorCheck, RoleValueLengthCheck>();
        services.AddScoped<IDoctorCheck, ProvisioningPermissionsCheck>();
        services.AddScoped<IDoctorCheck, ProvisioningJobCheck>();
        services.AddScoped<IDoctorCheck, RoleClaimCheck>();
        services.AddScoped<IDoctorFix, UploadMetadataFix>();
        services.AddScoped<IDoctorFix, ClaimsPolicyFix>();
        services.AddScoped<IDoctorFix, AppRolesFix>();
        services.AddScoped<IDoctorFix, TrustPolicyFix>();
        services.AddScoped<IDoctorFix, ProvisioningPolicyFix>();
        services.AddScoped<IDoctorFix, IdentifierFix>();
        services.AddScoped<DoctorService>();
        return services;
    }
}
