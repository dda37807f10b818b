using FederationPortal.Sandbox;
using FederationPortal.Web.Extensions;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The product's appsettings*.json and wwwroot/ live at the repository's top level and are linked into the output.
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddPortalConfiguration();
builder.AddPortalData();
builder.AddPortalClouds();
builder.AddSandbox(); // the emulated clouds, in Sandbox mode only
builder.AddPortalSecurity();
builder.AddPortalWeb();

var app = builder.Build();

await app.InitializePortalAsync();
app.UsePortalPipeline();
app.MapSandbox();
app.MapPortalEndpoints();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
