using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Infrastructure.Data.Configurations;

internal sealed class WatchConfiguration : IEntityTypeConfiguration<Watch>
{
    private const string ActiveOnly = $"status = '{WatchStatus.Active}'";

    public void Configure(EntityTypeBuilder<Watch> builder)
    {
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).HasMaxLength(40);
        builder.Property(w => w.ClientName).HasMaxLength(64);
        builder.Property(w => w.VideoId).HasMaxLength(200);
        builder.Property(w => w.CallbackUrl).HasMaxLength(2048);
        builder.Property(w => w.PoeKeyId).HasMaxLength(40);
        builder.Property(w => w.Status).HasMaxLength(16);
        builder.Property(w => w.Video).HasColumnType("jsonb");
        builder.Property(w => w.FailureReason).HasMaxLength(32);
        builder.Property(w => w.Metadata)
            .HasColumnType("jsonb")
            .HasConversion(
                m => WatchMetadata.ToJson(m),
                s => WatchMetadata.FromJson(s),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    m => m.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value)),
                    m => new Dictionary<string, string>(m)));

        // The natural dedupe of SPEC §2, enforced by the database so concurrent registrations cannot both win.
        builder.HasIndex(w => new { w.ClientName, w.VideoId, w.CallbackUrl })
            .IsUnique()
            .HasFilter(ActiveOnly)
            .HasDatabaseName(WatchRows.ActiveIdentityIndex);
        // GET /v1/watches pages newest first by (created_at, id): one index per filter keeps a page O(limit) at any depth.
        builder.HasIndex(w => new { w.ClientName, w.CreatedAt, w.Id }).IsDescending(false, true, true);
        builder.HasIndex(w => new { w.ClientName, w.Status, w.CreatedAt, w.Id }).IsDescending(false, false, true, true)
            .HasDatabaseName("ix_watches_client_name_status_created_at_id");
        builder.HasIndex(w => new { w.ClientName, w.VideoId }).HasDatabaseName("ix_watches_client_name_video_id");
        builder.HasIndex(w => new { w.PoeKeyId, w.VideoId }).HasFilter(ActiveOnly).HasDatabaseName("ix_watches_active_video");
        builder.HasIndex(w => w.CreatedAt).HasFilter(ActiveOnly).HasDatabaseName("ix_watches_active_created_at");
        builder.HasIndex(w => w.EndedAt).HasFilter("ended_at IS NOT NULL");
    }
}
