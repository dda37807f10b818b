using FederationPortal.Sandbox.Hosting;

// The emulated Entra tenant and AWS account on their own: `dotnet run --project src/FederationPortal.Emulator`.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The product's appsettings*.json are linked into the output; the data folder stays relative to the working folder.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.AddEmulator();

var app = builder.Build();
app.UseEmulator();
app.Run();
