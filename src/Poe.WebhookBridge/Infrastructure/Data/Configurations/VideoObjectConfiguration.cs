using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

internal sealed class VideoObjectConfiguration : IEntityTypeConfiguration<VideoObject>
{
    public void Configure(EntityTypeBuilder<VideoObject> builder)
    {
        builder.HasKey(o => new { o.PoeKeyId, o.VideoId });
        builder.Property(o => o.PoeKeyId).HasMaxLength(40);
        builder.Property(o => o.VideoId).HasMaxLength(200);
        builder.Property(o => o.Video).HasColumnType("jsonb");
        // Goes with its target, whichever statement removes it.
        builder.HasOne<VideoPoll>().WithOne().HasForeignKey<VideoObject>(o => new { o.PoeKeyId, o.VideoId }).OnDelete(DeleteBehavior.Cascade);
    }
}
