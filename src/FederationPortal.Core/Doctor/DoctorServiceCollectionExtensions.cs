using FederationPortal.Core.Configuration;
using FederationPortal.Core.Doctor.Checks;
using FederationPortal.Core.Doctor.Fixes;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Core.Doctor;

public static class DoctorServiceCollectionExtensions
{
    /// <summary>
    /// The doctor's checks (in the order they run), its fixes and <see cref="DoctorService"/>. <see cref="DoctorOptions"/>
    /// come from <c>Portal:Doctor</c> (e.g. <c>Portal:Doctor:CertificateExpiryWarningDays</c>) unless registered before.
    /// </summary>
    public static IServiceCollection AddDoctor(this IServiceCollection services)
    {
        services.AddValidatedOptions<DoctorOptions>(DoctorOptions.SectionName);
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
