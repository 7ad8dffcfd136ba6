using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Delivery.Recovery;
using Poe.WebhookBridge.Endpoints;
using Poe.WebhookBridge.Gateway;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Infrastructure.Data;

public sealed class BridgeDbContext(DbContextOptions<BridgeDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public const string Schema = "bridge";

    public DbSet<Watch> Watches => Set<Watch>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<GatewayRequest> GatewayRequests => Set<GatewayRequest>();

    public DbSet<VideoPoll> VideoPolls => Set<VideoPoll>();

    public DbSet<VideoObject> VideoObjects => Set<VideoObject>();

    public DbSet<PoeKeyState> PoeKeys => Set<PoeKeyState>();

    public DbSet<RateSlot> RateSlots => Set<RateSlot>();

    public DbSet<DurationStat> DurationStats => Set<DurationStat>();

    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();

    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();

    public DbSet<CallbackEndpoint> Endpoints => Set<CallbackEndpoint>();

    public DbSet<Recovery> Recoveries => Set<Recovery>();

    /// <summary>ASP.NET Core's data-protection keys, shared so every instance accepts the dashboard's antiforgery tokens.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BridgeDbContext).Assembly);
    }
}
