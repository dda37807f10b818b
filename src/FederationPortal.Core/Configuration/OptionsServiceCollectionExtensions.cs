using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FederationPortal.Core.Configuration;

public static class OptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/>, validates its data annotations (and any
    /// registered <see cref="IValidateOptions{TOptions}"/>) when the host starts, and serves its value to the services
    /// that take the options class itself, unless a value was registered before (tests pin one that way). A value that
    /// does not convert, or breaks a rule, stops the host at start with a message naming the key.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<TOptions>>().Value);
        return services;
    }
}
