using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

internal sealed class RateSlotConfiguration : IEntityTypeConfiguration<RateSlot>
{
    public void Configure(EntityTypeBuilder<RateSlot> builder)
    {
        builder.HasKey(s => new { s.PoeKeyId, s.Slot });
        builder.Property(s => s.PoeKeyId).HasMaxLength(40);
    }
}
