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

        // The claim query walks this index in due order and stops after one batch.
        builder.HasIndex(p => p.NextPollAt);
    }
}
