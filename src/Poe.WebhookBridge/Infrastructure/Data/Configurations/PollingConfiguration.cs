using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

internal sealed class VideoPollConfiguration : IEntityTypeConfiguration<VideoPoll>
{
    public void Configure(EntityTypeBuilder<VideoPoll> builder)
    {
        builder.HasKey(p => new { p.PoeKeyId, p.VideoId });
        builder.Property(p => p.PoeKeyId).HasMaxLength(40);
        builder.Property(p => p.VideoId).HasMaxLength(200);
        builder.Property(p => p.LastStatus).HasMaxLength(32);
        builder.Property(p => p.Model).HasMaxLength(100);
        builder.Property(p => p.VideoSeconds).HasMaxLength(16);

        builder.HasIndex(p => p.NextPollAt);

        // The claim walks each key's due rows off this index in claim order and stops after the key's share of one
        // batch, so its cost does not grow with the backlog. LEAST and GREATEST skip NULLs: never polled or not
        // claimed leaves the order at next_poll_at.
        builder.Property(p => p.ClaimOrder).HasComputedColumnSql("GREATEST(LEAST(next_poll_at, urgent_at), claimed_until)", stored: true);
        builder.HasIndex(p => new { p.PoeKeyId, p.ClaimOrder });
    }
}

internal sealed class PoeKeyStateConfiguration : IEntityTypeConfiguration<PoeKeyState>
{
    public void Configure(EntityTypeBuilder<PoeKeyState> builder)
    {
        builder.ToTable("poe_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(40);
        builder.Property(k => k.RateLimitedUntil).HasDefaultValueSql("'epoch'");
    }
}

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

internal sealed class DurationStatConfiguration : IEntityTypeConfiguration<DurationStat>
{
    public void Configure(EntityTypeBuilder<DurationStat> builder)
    {
        builder.HasKey(s => new { s.Model, s.VideoSeconds });
        builder.Property(s => s.Model).HasMaxLength(100);
        builder.Property(s => s.VideoSeconds).HasMaxLength(16);
        builder.Property(s => s.Surprise).HasDefaultValue(1.0);
    }
}
