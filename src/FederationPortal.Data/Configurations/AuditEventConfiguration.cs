using FederationPortal.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FederationPortal.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.HasIndex(e => e.Id).IsUnique();
        builder.Property(e => e.ActorId).HasMaxLength(256).IsRequired();
        builder.Property(e => e.ActorName).HasMaxLength(256).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(128).IsRequired();
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.TargetType).HasMaxLength(64);
        builder.Property(e => e.TargetId).HasMaxLength(2048);
        builder.Property(e => e.CorrelationId).HasMaxLength(128);
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsFixedLength();
        builder.Property(e => e.Hash).HasMaxLength(64).IsFixedLength();

        // The audit page filters by time, actor, action, environment and outcome, newest first.
        builder.HasIndex(e => e.TimestampUtc);
        builder.HasIndex(e => new { e.ActorId, e.TimestampUtc });
        builder.HasIndex(e => new { e.Action, e.TimestampUtc });
        builder.HasIndex(e => new { e.EnvironmentId, e.TimestampUtc });
        builder.HasIndex(e => new { e.Outcome, e.TimestampUtc });

        // An environment's events by action: the audit page's commonest pair of filters, and its sort by action.
        builder.HasIndex(e => new { e.EnvironmentId, e.Action, e.TimestampUtc });
        builder.HasIndex(e => e.CorrelationId);
    }
}
