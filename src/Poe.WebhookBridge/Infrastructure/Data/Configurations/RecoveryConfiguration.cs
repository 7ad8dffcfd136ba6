using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Delivery.Recovery;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

internal sealed class RecoveryConfiguration : IEntityTypeConfiguration<Recovery>
{
    public void Configure(EntityTypeBuilder<Recovery> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(40);
        builder.Property(r => r.ClientName).HasMaxLength(64);
        builder.Property(r => r.EndpointId).HasMaxLength(40);
        builder.Property(r => r.EndpointUrl).HasMaxLength(2048);
        builder.Property(r => r.Status).HasMaxLength(16);
        builder.Property(r => r.CursorEventId).HasMaxLength(40);
    }
}
