using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Gateway;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

internal sealed class GatewayRequestConfiguration : IEntityTypeConfiguration<GatewayRequest>
{
    public void Configure(EntityTypeBuilder<GatewayRequest> builder)
    {
        // The primary key is what makes one Poe call per key: a second insert of the same key cannot succeed.
        builder.HasKey(r => new { r.ClientName, r.Key });
        builder.Property(r => r.ClientName).HasMaxLength(64);
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.Operation).HasMaxLength(16);
        builder.Property(r => r.State).HasMaxLength(16);
        builder.Property(r => r.Owner).HasMaxLength(40);
        builder.Property(r => r.Location).HasMaxLength(100);
        // Retention's purge walks the answered requests oldest first; an unanswered one is never purged.
        builder.HasIndex(r => r.CompletedAt).HasFilter("state = 'done'").HasDatabaseName("ix_gateway_requests_done_completed_at");
    }
}
