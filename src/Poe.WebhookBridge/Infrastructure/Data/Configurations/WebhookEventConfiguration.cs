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
        builder.HasIndex(e => e.NextAttemptAt).HasFilter($"status = '{DeliveryStatus.Pending}'").HasDatabaseName("ix_webhook_events_pending_due");
        builder.HasIndex(e => new { e.WatchId, e.CreatedAt });

        // Endpoint health counts, holds and releases an endpoint's undelivered events; delivered ones leave the index.
        builder.HasIndex(e => new { e.ClientName, e.CallbackOrigin, e.Status }).HasFilter($"status IN ('{DeliveryStatus.Pending}', '{DeliveryStatus.Held}', '{DeliveryStatus.Failed}')")
            .HasDatabaseName("ix_webhook_events_endpoint_undelivered");

        // A recovery walks a client's dead events in creation order.
        builder.HasIndex(e => new { e.ClientName, e.CreatedAt, e.Id }).HasFilter($"status = '{DeliveryStatus.Failed}'").HasDatabaseName("ix_webhook_events_dead");
    }
}
