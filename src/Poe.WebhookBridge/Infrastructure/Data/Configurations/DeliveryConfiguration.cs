using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(40);
        builder.Property(e => e.WatchId).HasMaxLength(40);
        builder.Property(e => e.ClientName).HasMaxLength(64);
        builder.Property(e => e.Type).HasMaxLength(32);
        builder.Property(e => e.CallbackUrl).HasMaxLength(2048);
        builder.Property(e => e.CallbackHost).HasMaxLength(255);
        builder.Property(e => e.CallbackOrigin).HasMaxLength(2048);
        builder.Property(e => e.Status).HasMaxLength(16);
        builder.HasOne<Watch>().WithMany().HasForeignKey(e => e.WatchId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(e => e.Attempts).WithOne().HasForeignKey(a => a.EventId).OnDelete(DeleteBehavior.Cascade);

        // The delivery claim walks due pending events only; delivered and dead ones never enter this index.
        builder.HasIndex(e => e.NextAttemptAt).HasFilter("status = 'pending'").HasDatabaseName("ix_webhook_events_pending_due");
        builder.HasIndex(e => new { e.WatchId, e.CreatedAt });

        // Endpoint health counts, holds and releases an endpoint's undelivered events; delivered ones leave the index.
        builder.HasIndex(e => new { e.ClientName, e.CallbackOrigin, e.Status }).HasFilter("status IN ('pending', 'held', 'failed')")
            .HasDatabaseName("ix_webhook_events_endpoint_undelivered");

        // A recovery walks a client's dead events in creation order.
        builder.HasIndex(e => new { e.ClientName, e.CreatedAt, e.Id }).HasFilter("status = 'failed'").HasDatabaseName("ix_webhook_events_dead");
    }
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.EventId).HasMaxLength(40);
        builder.Property(a => a.Error).HasMaxLength(500);
        builder.HasIndex(a => new { a.EventId, a.At });

        // Endpoint health counts the last 24 hours' attempts.
        builder.HasIndex(a => a.At);
        builder.Property(a => a.ClientName).HasMaxLength(64);
        builder.Property(a => a.CallbackOrigin).HasMaxLength(2048);
        // GET /v1/endpoints counts one endpoint's attempts of the last 24 hours: O(those attempts), not O(the window's).
        builder.HasIndex(a => new { a.ClientName, a.CallbackOrigin, a.At }).IncludeProperties(a => a.StatusCode)
            .HasDatabaseName("ix_delivery_attempts_endpoint_at");
    }
}
