using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Poe.WebhookBridge.Infrastructure.Data;

/// <summary>
/// The Npgsql connection and transaction under an EF context, so a table home's raw statements run in the context's
/// transaction: the bridge's contexts are always Npgsql (<see cref="DatabaseExtensions"/>).
/// </summary>
internal static class EfNpgsql
{
    public static NpgsqlConnection Connection(this DatabaseFacade database) => (NpgsqlConnection)database.GetDbConnection();

    public static NpgsqlTransaction Npgsql(this IDbContextTransaction transaction) => (NpgsqlTransaction)transaction.GetDbTransaction();
}
