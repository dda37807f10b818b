using System.Text.Json;
using FederationPortal.Core.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FederationPortal.Data.Configurations;

internal sealed class OperationConfiguration : IEntityTypeConfiguration<Operation>
{
    public void Configure(EntityTypeBuilder<Operation> builder)
    {
        builder.ToTable("Operations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.Stage).HasMaxLength(32);
        builder.Property(o => o.RequestedById).HasMaxLength(256);
        builder.Property(o => o.RequestedByName).HasMaxLength(256);
        builder.HasIndex(o => new { o.EnvironmentId, o.CreatedAt });
        builder.HasIndex(o => o.Status);
        builder.HasMany(o => o.Actions).WithOne().HasForeignKey(a => a.OperationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OperationActionConfiguration : IEntityTypeConfiguration<OperationAction>
{
    public void Configure(EntityTypeBuilder<OperationAction> builder)
    {
        builder.ToTable("OperationActions");
        builder.HasKey(a => new { a.OperationId, a.ActionId });
        builder.Property(a => a.ActionId).HasMaxLength(256);
        builder.Property(a => a.Kind).HasMaxLength(64);
        builder.Property(a => a.Change).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Stage).HasMaxLength(32);
        builder.Property(a => a.DependsOn).HasConversion(
                list => JsonSerializer.Serialize(list, (JsonSerializerOptions?)null),
                json => JsonSerializer.Deserialize<List<string>>(json, (JsonSerializerOptions?)null) ?? new List<string>())
            .Metadata.SetValueComparer(new ValueComparer<List<string>>(
                (a, b) => a!.SequenceEqual(b!),
                list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode(StringComparison.Ordinal))),
                list => list.ToList()));
    }
}

internal sealed class ManagedResourceConfiguration : IEntityTypeConfiguration<ManagedResource>
{
    public void Configure(EntityTypeBuilder<ManagedResource> builder)
    {
        builder.ToTable("ManagedResources");
        builder.HasKey(r => new { r.EnvironmentId, r.Type, r.Key });
        builder.Property(r => r.Type).HasMaxLength(64);
        builder.Property(r => r.Key).HasMaxLength(256);
        builder.Property(r => r.CloudId).HasMaxLength(2048);
    }
}
