using Microsoft.EntityFrameworkCore;
using Npgsql;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Infrastructure;

public sealed class StartupTests
{
    [Fact]
    public async Task Two_instances_starting_together_on_an_empty_database_both_become_ready_with_one_schema()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("twin_start");
        var settings = BridgeSettings.For(connectionString, TestClient.Generate("shop"));
        await using var first = BridgeFactory.FromSettings(settings);
        await using var second = BridgeFactory.FromSettings(settings);
        try
        {
            using var start = new Barrier(2);
            await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); _ = first.Services; }),
                Task.Run(() => { start.SignalAndWait(); _ = second.Services; }));

            await first.WaitUntilReadyAsync();
            await second.WaitUntilReadyAsync();
            var migrations = await first.Database.QueryAsync(db => Task.FromResult(db.Database.GetMigrations().Count()));
            Assert.Equal(migrations, await CountAsync(connectionString, "SELECT count(*) FROM bridge.__ef_migrations_history"));
            Assert.Equal(1, await CountAsync(connectionString, "SELECT count(*) FROM hangfire.schema"));
            Assert.Equal(2, await CountAsync(connectionString, "SELECT count(*) FROM information_schema.schemata WHERE schema_name IN ('bridge', 'hangfire')"));
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    [Theory]
    [InlineData("ConnectionStrings:Postgres", null)]
    [InlineData("ConnectionStrings:Postgres", "   ")]
    [InlineData("Polling:Interval", "-00:00:01")]
    [InlineData("Webhooks:Timeout", "00:00:00")]
    [InlineData("Webhooks:DisableEndpointAfter", "00:00:00")]
    [InlineData("Retention:Schedule", " ")]
    [InlineData("Poe:BaseUrl", "ftp://poe.example")]
    [InlineData("Clients:shop:SigningSecret", "not-a-whsec-secret")]
    [InlineData("Clients:shop:ApiKey", "short")]
    public async Task A_missing_or_bad_setting_stops_start_up_with_a_message_naming_the_key(string key, string? value)
    {
        var settings = BridgeSettings.For("Host=127.0.0.1;Port=1;Database=never_reached", TestClient.Generate("shop"));
        settings[key] = value;
        await using var bridge = BridgeFactory.FromSettings(settings);

        var failure = Record.Exception(() => bridge.Services);

        Assert.NotNull(failure);
        var messages = string.Join(" | ", Flatten(failure).Select(e => e.Message));
        Assert.Contains(key, messages, StringComparison.Ordinal);
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
