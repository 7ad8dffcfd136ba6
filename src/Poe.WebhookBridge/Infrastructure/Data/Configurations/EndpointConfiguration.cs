using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Endpoints;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

internal sealed class EndpointConfiguration : IEntityTypeConfiguration<CallbackEndpoint>
{
    public void Configure(EntityTypeBuilder<CallbackEndpoint> builder)
    {
        builder.ToTable("endpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(40);
        builder.Property(e => e.ClientName).HasMaxLength(64);
        builder.Property(e => e.Url).HasMaxLength(2048);
        builder.Property(e => e.Status).HasMaxLength(16);

        // One row per client and origin; also how the delivery claim and the hold trigger find an event's endpoint.
        builder.HasIndex(e => new { e.ClientName, e.Url }).IsUnique();
    }
}
