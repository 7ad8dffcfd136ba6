using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

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
