using FederationPortal.Clouds;
using FederationPortal.Core;
using FederationPortal.Core.Configuration;
using FederationPortal.Core.Security;
using FederationPortal.Data;
using FederationPortal.Web.Components;
using FederationPortal.Web.Endpoints;
using FederationPortal.Web.Health;
using FederationPortal.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Web.Extensions;

/// <summary>The composition root, one method per concern, called in order by Program.cs.</summary>
public static class PortalHostingExtensions
{
    /// <summary>Typed, validated <see cref="PortalOptions"/>; a bad value stops the app at start naming the key.</summary>
    /// <summary>The Data Protection application name: cookies, antiforgery tokens and stored secrets share this key ring.</summary>
    public const string DataProtectionApplicationName = "FederationPortal";

    public static void AddPortalConfiguration(this WebApplicationBuilder builder)
    {
        if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null && builder.Configuration["Kestrel:Endpoints:Http:Url"] is null)
        {
            builder.WebHost.UseUrls("http://localhost:5080");
        }

        // `dotnet run` serves the build output in every environment (not only Development): let it find static web
        // assets (MudBlazor's, the framework's, the top-level wwwroot/) through the build's manifest. A published app
        // has them in its own wwwroot and no manifest, so this is a no-op there.
        builder.WebHost.UseStaticWebAssets();

        // Secrets stored in Settings rank above appsettings.json and below environment variables and the command line.
        var dataDirectory = builder.GetPortalOptions().ResolveDataDirectory();
        var sources = builder.Configuration.Sources;
        var index = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        builder.Configuration.Sources.Insert(index < 0 ? sources.Count : index, new StoredSecretsConfigurationSource(dataDirectory));

        builder.Services.AddOptions<PortalOptions>()
            .BindConfiguration(PortalOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    public static void AddPortalData(this WebApplicationBuilder builder)
    {
        var options = builder.GetPortalOptions();
        builder.Services.AddPortalCore();
        builder.Services.AddPortalData(options.ResolveDataDirectory());
    }

    /// <summary>The connectors, pointed at the real clouds unless a plug-in (the Sandbox) registers its own endpoints.</summary>
    public static void AddPortalClouds(this WebApplicationBuilder builder)
    {
        builder.Services.AddClouds();
    }

    public static void AddPortalSecurity(this WebApplicationBuilder builder)
    {
        var options = builder.GetPortalOptions();

        // The key ring protects sign-in cookies, antiforgery tokens and (later) stored secrets; keeping it in the
        // data folder lets sessions survive a restart, and deleting the folder resets it with everything else.
        builder.Services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.ResolveDataDirectory(), "keys")));
        builder.Services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        builder.Services.AddPortalAuthentication(options, builder.Configuration);
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AttemptThrottle>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(AttemptThrottle.SignIn, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return AttemptThrottle.Partition(AttemptThrottle.AddressOf(context), limits.SignInAttempts, limits.Window);
            });
            limiter.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var services = rejected.HttpContext.RequestServices;
                await services.GetRequiredService<AttemptThrottle>().RefuseAsync(
                    rejected.HttpContext, AttemptThrottle.SignIn, retryAfter, services.GetRequiredService<FederationPortal.Core.Audit.IAuditTrail>());
            };
        });
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.SuppressXFrameOptionsHeader = true; // SecurityHeaders sends DENY on every response
            antiforgery.Cookie.SecurePolicy = PortalAuthenticationExtensions.SecurePolicy(options.Mode);
        });
    }

    public static void AddPortalWeb(this WebApplicationBuilder builder)
    {
        // Unreadable API requests (malformed JSON …) reach ApiBadRequestMiddleware, which explains and audits them.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(mud =>
        {
            // Bottom right: top right would cover the app bar's theme toggle and user menu.
            mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            mud.SnackbarConfiguration.VisibleStateDuration = 4000;
            mud.SnackbarConfiguration.MaxDisplayedSnackbars = 2;
        });
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CurrentActor>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<NonPageExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
    }

    public static async Task InitializePortalAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync();
        var options = app.Services.GetRequiredService<IOptions<PortalOptions>>().Value;
        if (options.Mode == PortalMode.Sandbox)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await InstallationAdminToken.EnsureAsync(
                scope.ServiceProvider.GetRequiredService<ApiTokenService>(), options.ResolveDataDirectory(), app.Logger);
        }

        app.Logger.LogInformation(
            "FederationPortal starting in {Mode} mode with data in {DataDirectory}", options.Mode, options.ResolveDataDirectory());
    }

    public static void UsePortalPipeline(this WebApplication app)
    {
        // First, so that every portal response carries the headers: errors and redirects included.
        app.UseMiddleware<SecurityHeaders>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true); // pages only: see NonPageExceptionHandler
        }

        // Friendly "not found" pages for browsers only: API and sandbox callers get the status code and body they expect,
        // and a re-executed POST would re-read a form whose antiforgery check already failed.
        app.UseWhen(
            context => HttpMethods.IsGet(context.Request.Method)
                       && !context.Request.Path.StartsWithSegments("/api")
                       && !context.Request.Path.StartsWithSegments("/sandbox"),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found"));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<ApiBadRequestMiddleware>();
        app.UseAntiforgery();
    }

    public static void MapPortalEndpoints(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<PortalOptions>>().Value;
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapAccountEndpoints(options.Mode);
        app.MapAuditEndpoints();
        app.MapActivityEndpoints();
        app.MapEnvironmentApi();
        app.MapReviewEndpoints();
        // The circuit's own frame-ancestors policy agrees with SecurityHeaders' (no framing at all).
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(server => server.ContentSecurityFrameAncestorsPolicy = "'none'");
    }

    private static PortalOptions GetPortalOptions(this WebApplicationBuilder builder)
        => builder.Configuration.GetSection(PortalOptions.SectionName).Get<PortalOptions>() ?? new PortalOptions();
}
