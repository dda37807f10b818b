using FederationPortal.Core.Environments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FederationPortal.Data.Configurations;

internal sealed class FederationEnvironmentConfiguration : IEntityTypeConfiguration<FederationEnvironment>
{
    public void Configure(EntityTypeBuilder<FederationEnvironment> builder)
    {
        builder.ToTable("Environments");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Name).HasMaxLength(64).IsRequired().UseCollation("NOCASE");
        builder.HasIndex(e => e.Name).IsUnique();
        builder.Property(e => e.Description).HasMaxLength(500);
        builder.Property(e => e.EntraTenantId).HasMaxLength(36).IsRequired();
        builder.Property(e => e.AwsAccountId).HasMaxLength(12).IsRequired();
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.CreatedBy).HasMaxLength(256);
        builder.Property(e => e.UpdatedBy).HasMaxLength(256);
        builder.Property(e => e.Version).IsConcurrencyToken();
    }
}
