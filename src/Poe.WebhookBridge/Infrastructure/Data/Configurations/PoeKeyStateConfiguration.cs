using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Budget;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

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
