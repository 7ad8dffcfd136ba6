using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Infrastructure.Configuration;
using Poe.WebhookBridge.Infrastructure.Hangfire;

namespace Poe.WebhookBridge.Infrastructure.Data;

internal static class DatabasePreparation
{
    // Any constant shared by every instance; it only has to differ from other advisory locks on this database.
    private const long SchemaLockId = 0x506F_6542_7269_6467;

    /// <summary>
    /// Validates options, then applies the EF Core migrations and the Hangfire schema under one advisory lock, so
    /// instances starting together on an empty database take turns instead of racing the Hangfire installer.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        if (!app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<BridgeDbContext>().Database;
        database.SetCommandTimeout(ConnectionDefaults.SchemaCommandTimeout);
        // Outside the lock, which instances starting together take in turn: EF Core builds its models and reads the
        // history here, a second of CPU each time a process starts, so only the migrations themselves are taken in turn.
        var pending = (await database.GetPendingMigrationsAsync()).Any();

        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({SchemaLockId})", connection) { CommandTimeout = (int)ConnectionDefaults.SchemaCommandTimeout.TotalSeconds })
        {
            await lockCommand.ExecuteNonQueryAsync();
        }

        try
        {
            // With nothing pending (every restart) MigrateAsync would read the history again and compare the model with
            // the last migration's, ~0.3 s of a 3 s start; that comparison is a test (MigrationTests).
            if (pending)
            {
                await database.MigrateAsync();
            }

            PostgreSqlObjectsInstaller.Install(connection, HangfireSetup.SchemaName);
        }
        finally
        {
            await using var unlockCommand = new NpgsqlCommand($"SELECT pg_advisory_unlock({SchemaLockId})", connection);
            await unlockCommand.ExecuteNonQueryAsync();
        }
    }
}
