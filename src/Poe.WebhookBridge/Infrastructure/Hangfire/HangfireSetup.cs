using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Npgsql;

namespace Poe.WebhookBridge.Infrastructure.Hangfire;

internal static class HangfireSetup
{
    public const string SchemaName = "hangfire";

    public static WebApplicationBuilder AddBridgeHangfire(this WebApplicationBuilder builder)
    {
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = SchemaName,
            // The schema is installed under our advisory lock at start-up (DatabasePreparation), never concurrently.
            PrepareSchemaIfNecessary = false,
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(200),
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
            // A lock is a row that only its holder deletes: one left by a killed instance blocks that resource until it
            // is this old. At the default 10 minutes, a crash during a one-second tick's scheduling stalled that tick on
            // every instance and made a restart fail (AddOrUpdate waits 15 s for the lock). The storage's locks are
            // held for milliseconds, so 10 s is ample.
            DistributedLockTimeout = TimeSpan.FromSeconds(10),
            // The per-second ticks finish two jobs a second, each kept ShortLivedJobAttribute.Expiration. Expired jobs
            // (with their states and parameters) are deleted, and per-job counters folded into aggregated ones, only
            // when these run; every minute keeps the job tables at about the expiration's worth of ticks instead of up
            // to an hour more (7,200 jobs at the storage's hourly default).
            JobExpirationCheckInterval = TimeSpan.FromMinutes(1),
            CountersAggregateInterval = TimeSpan.FromMinutes(1),
        };

        // Hangfire keeps its storage, activator and log provider in statics; registering this host's own first means
        // two hosts in one process (the tests) never poll each other's database or run jobs in each other's container.
        builder.Services.AddSingleton<JobStorage>(services =>
            new PostgreSqlStorage(new DataSourceConnectionFactory(services.GetRequiredService<NpgsqlDataSource>()), storageOptions));
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((services, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new DisposalTolerantLogProvider(new AspNetCoreLogProvider(services.GetRequiredService<ILoggerFactory>())))
            .UseStorage(services.GetRequiredService<JobStorage>()));

        builder.Services.AddHangfireServer(options =>
        {
            // Recurring jobs fire at most this often; the bridge's one-second ticks need it well under a second.
            options.SchedulePollingInterval = TimeSpan.FromMilliseconds(200);
            options.ServerName = HangfireServerName.ForThisProcess;
            options.WorkerCount = Math.Max(Environment.ProcessorCount * 4, 8);
            options.Queues = BridgeJobs.Queues;
        });
        return builder;
    }

    private sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }
}
