using Npgsql;

namespace Poe.WebhookBridge.Infrastructure.Data;

/// <summary>
/// The one way the table homes pass values to raw SQL: positional parameters (<c>$1</c>, <c>$2</c>, …) in the order
/// given, a null sent as SQL NULL. An array meant as one parameter (<c>= ANY($1)</c>) is passed as <c>(object)array</c>
/// when it is the only value, or C# would spread it over the parameters.
/// </summary>
internal static class SqlCommands
{
    /// <returns>The added statement, whose RecordsAffected the caller may read after the batch ran.</returns>
    public static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        Bind(command.Parameters, values);
        batch.BatchCommands.Add(command);
        return command;
    }

    public static NpgsqlCommand Create(NpgsqlDataSource dataSource, string sql, params object?[] values)
    {
        var command = dataSource.CreateCommand(sql);
        Bind(command.Parameters, values);
        return command;
    }

    public static NpgsqlCommand Create(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        Bind(command.Parameters, values);
        return command;
    }

    private static void Bind(NpgsqlParameterCollection parameters, object?[] values)
    {
        foreach (var value in values)
        {
            parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }
}
