using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

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
