using Npgsql;

namespace Poe.WebhookBridge.Watches;

/// <summary>Writes what else a registration stores in its transaction (an idempotency record, a gateway outcome).</summary>
internal delegate Task RegistrationRecord(NpgsqlConnection connection, NpgsqlTransaction transaction, RegistrationResult result, DateTimeOffset now);
