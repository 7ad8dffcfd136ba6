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

        // The claim walks each key's due rows off this index in claim order and stops after the key's share of one
        // batch, so its cost does not grow with the backlog. LEAST and GREATEST skip NULLs: never polled or not
        // claimed leaves the order at next_poll_at.
        builder.Property(p => p.ClaimOrder).HasComputedColumnSql("GREATEST(LEAST(next_poll_at, urgent_at), claimed_until)", stored: true);
        // Without deduplication: each poll moves its row in this index and leaves a dead entry at the front of its
        // key's range, which the first scan past it marks dead so later claims skip it without a heap visit. Entries
        // deduplicated into one posting list are marked only once all of them are dead, so rows that were due at one
        // instant (a burst of registrations, a restored backlog) would make every claim re-read them until vacuum.
        // Claim orders are distinct timestamps otherwise, so deduplication saves nothing here.
        builder.HasIndex(p => new { p.PoeKeyId, p.ClaimOrder }).HasStorageParameter("deduplicate_items", false);
    }
}
