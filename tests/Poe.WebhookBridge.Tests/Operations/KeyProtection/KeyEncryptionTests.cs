using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations.KeyProtection;

/// <summary>The dashboard's data-protection keys at rest in PostgreSQL: encrypted with DataProtection:KeyEncryptionKey.</summary>
public sealed class KeyEncryptionTests
{
    private const string KeyName = "DataProtection:KeyEncryptionKey";

    [Fact]
    public async Task With_a_key_encryption_key_the_stored_keys_hold_no_plaintext_and_another_instance_with_it_reads_them()
    {
        var (connectionString, settings) = await SettingsWithAKeyAsync("key_encryption");
        await using var first = BridgeFactory.FromSettings(settings);
        await using var second = BridgeFactory.FromSettings(settings);
        try
        {
            var token = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("antiforgery").Protect("form");

            var stored = await XmlOfKeysAsync(connectionString);
            Assert.NotEmpty(stored);
            Assert.All(stored, xml =>
            {
                Assert.Contains("urn:poe-webhook-bridge:aes-256-gcm", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            });
            Assert.Equal("form", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("antiforgery").Unprotect(token));
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task An_instance_with_another_key_encryption_key_cannot_read_the_stored_keys()
    {
        var (connectionString, settings) = await SettingsWithAKeyAsync("key_encryption_other");
        await using var owner = BridgeFactory.FromSettings(settings);
        await using var stranger = BridgeFactory.FromSettings(new Dictionary<string, string?>(settings) { [KeyName] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        try
        {
            var token = owner.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("antiforgery").Protect("form");

            Assert.ThrowsAny<CryptographicException>(() => stranger.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("antiforgery").Unprotect(token));
        }
        finally
        {
            await owner.DisposeAsync();
            await stranger.DisposeAsync();
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public async Task A_key_encryption_key_that_is_not_32_bytes_of_base64_stops_start_up_naming_it(string value)
    {
        var settings = BridgeSettings.For("Host=127.0.0.1;Port=1;Database=never_reached", TestClient.Generate("shop"));
        settings[KeyName] = value;
        await using var bridge = BridgeFactory.FromSettings(settings);

        var failure = Record.Exception(() => bridge.Services);

        Assert.NotNull(failure);
        Assert.Contains(KeyName, failure.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A fresh database, and a bridge's settings for it with a new key encryption key.</summary>
    private static async Task<(string ConnectionString, Dictionary<string, string?> Settings)> SettingsWithAKeyAsync(string purpose)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync(purpose);
        var settings = BridgeSettings.For(connectionString, TestClient.Generate("shop"));
        settings[KeyName] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return (connectionString, settings);
    }

    private static async Task<List<string>> XmlOfKeysAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM bridge.data_protection_keys", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
