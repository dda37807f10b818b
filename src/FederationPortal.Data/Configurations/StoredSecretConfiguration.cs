using FederationPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FederationPortal.Data.Configurations;

internal sealed class StoredSecretConfiguration : IEntityTypeConfiguration<StoredSecret>
{
    /// <summary>The table's name, also read directly (without EF) by the configuration source at start.</summary>
    public const string TableName = "StoredSecrets";

    public void Configure(EntityTypeBuilder<StoredSecret> builder)
    {
        builder.ToTable(TableName);
        builder.HasKey(s => s.Name);
        builder.Property(s => s.Name).HasMaxLength(128);
        builder.Property(s => s.Ciphertext).HasMaxLength(4096);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
    }
}
