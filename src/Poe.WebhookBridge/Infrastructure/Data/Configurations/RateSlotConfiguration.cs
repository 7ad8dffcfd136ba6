using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Budget;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

internal sealed class RateSlotConfiguration : IEntityTypeConfiguration<RateSlot>
{
    public void Configure(EntityTypeBuilder<RateSlot> builder)
    {
        builder.HasKey(s => new { s.PoeKeyId, s.Slot });
        builder.Property(s => s.PoeKeyId).HasMaxLength(40);

        // A claim takes each key's oldest free slots, and a hold looks for the first to free up: an index range scan
        // per key that stops after what it needs, not a sort of all the key's slots.
        builder.HasIndex(s => new { s.PoeKeyId, s.AvailableAt, s.Slot });
    }
}
