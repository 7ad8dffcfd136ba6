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
