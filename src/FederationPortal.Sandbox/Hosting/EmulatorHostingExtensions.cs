using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Hosting;

/// <summary>
/// The emulator as a host of its own: every <c>/sandbox/*</c> endpoint (Graph, login, federation metadata, SAML
/// sign-in, IAM, STS, CloudTrail, <c>/sandbox/info</c>) with no portal around it, on its own port and data folder.
/// </summary>
public static class EmulatorHostingExtensions
{
    public static WebApplicationBuilder AddEmulator(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmulatorOptions>()
            .BindConfiguration(EmulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmulatorOptions>, EmulatorOptionsValidator>();

        // Where to listen and store are needed before the container exists.
        var options = builder.Configuration.GetSection(EmulatorOptions.SectionName).Get<EmulatorOptions>() ?? new EmulatorOptions();
        if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null)
        {
            builder.WebHost.UseUrls(options.Url);
        }

        builder.Services.AddSandbox(options.ResolveDataDirectory());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // Loopback is trusted by default; a TLS-terminating proxy elsewhere must be named.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in options.TrustedProxies.Where(p => IPAddress.TryParse(p, out _)))
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        return builder;
    }

    public static WebApplication UseEmulator(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.MapSandbox();
        app.MapGet("/", () => Results.Redirect("/sandbox/info")).ExcludeFromDescription();
        return app;
    }
}
