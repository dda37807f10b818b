using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FederationPortal.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the web host.</summary>
internal sealed class DesignTimePortalDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
