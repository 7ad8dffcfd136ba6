using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Poe.WebhookBridge.Tests.Infrastructure;

/// <summary>One statement's <c>EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)</c>, reduced to what a cost-at-scale test judges.</summary>
public sealed record QueryPlan(string Text, IReadOnlyList<QueryPlan.Node> Nodes)
{
    /// <summary>The tables that grow with watches and events; the others grow with clients and endpoints only.</summary>
    public static readonly string[] BigTables = ["watches", "video_polls", "webhook_events", "delivery_attempts", "idempotency_records", "gateway_requests"];

    public sealed record Node(string Type, string? Relation, double Rows, double RemovedByFilter, double Loops);

    /// <summary>Rows read from the big tables: every row a scan returned or filtered out, over all its loops.</summary>
    public double RowsTouched => Nodes.Where(n => n.Relation is { } r && BigTables.Contains(r)).Sum(n => (n.Rows + n.RemovedByFilter) * n.Loops);

    public IEnumerable<Node> SeqScansOfBigTables => Nodes.Where(n => n.Type == "Seq Scan" && n.Relation is { } r && BigTables.Contains(r));

    public double LargestSort => Nodes.Where(n => n.Type == "Sort").Select(n => n.Rows * n.Loops).DefaultIfEmpty().Max();

    /// <summary>Runs the statement under EXPLAIN ANALYZE in a transaction that is rolled back, so a write changes nothing.</summary>
    public static async Task<QueryPlan> ExplainAsync(NpgsqlConnection connection, string sql, IEnumerable<NpgsqlParameter> parameters)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, connection, transaction);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        var json = (string)(await command.ExecuteScalarAsync())!;
        await transaction.RollbackAsync();
        using var document = JsonDocument.Parse(json);
        var nodes = new List<Node>();
        Walk(document.RootElement[0].GetProperty("Plan"), nodes);
        return new QueryPlan(json, nodes);
    }

    /// <summary>A statement whose SQL is an interpolated string, as EF Core's ExecuteSql takes it: $1, $2… for its values.</summary>
    public static Task<QueryPlan> ExplainAsync(NpgsqlConnection connection, FormattableString sql) =>
        ExplainAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql.Format, [.. Enumerable.Range(1, sql.ArgumentCount).Select(i => (object)$"${i}")]),
            sql.GetArguments().Select(value => new NpgsqlParameter { Value = value }));

    private static void Walk(JsonElement plan, List<Node> nodes)
    {
        nodes.Add(new Node(
            plan.GetProperty("Node Type").GetString()!,
            plan.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null,
            Number(plan, "Actual Rows"), Number(plan, "Rows Removed by Filter") + Number(plan, "Rows Removed by Index Recheck"), Number(plan, "Actual Loops")));
        if (plan.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Walk(child, nodes);
            }
        }
    }

    private static double Number(JsonElement plan, string name) => plan.TryGetProperty(name, out var value) ? value.GetDouble() : 0;
}

/// <summary>Records the commands EF Core sends (text and parameters), so a LINQ query's SQL can be explained as sent.</summary>
public sealed class CommandCapture : DbCommandInterceptor
{
    public List<(string Sql, List<NpgsqlParameter> Parameters)> Commands { get; } = [];

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Commands.Add((command.CommandText, [.. command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone())]));
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}
