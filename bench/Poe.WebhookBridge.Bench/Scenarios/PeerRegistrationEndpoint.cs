using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Poe.WebhookBridge.Bench.Infrastructure;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 1's second baseline: what a user writes instead of the bridge's <c>POST /v1/watches</c> — a minimal ASP.NET
/// Core endpoint that checks a bearer key and INSERTs the watch's row with Npgsql, and nothing else (no validation, no
/// poll schedule, no idempotency). It runs as the bridge does, in a process of its own started with the bridge's runtime
/// settings (<see cref="BenchChild"/>, command <c>peer-endpoint</c>), while no bridge runs; the load generator stays in
/// the bench process for both, so the two differ only in the server's code.
/// </summary>
public sealed class PeerRegistrationEndpoint : IAsyncDisposable
{
    public const string Command = "peer-endpoint";
    private const string Ready = "ready";
    private static readonly byte[] KeyHash = SHA256.HashData(Encoding.UTF8.GetBytes(BridgeProcess.ClientKey));
    private static readonly string[] Events = ["video.completed", "video.failed", "watch.failed"];

    private readonly BenchChild _child;

    private PeerRegistrationEndpoint(BenchChild child, Uri url) => (_child, Url) = (child, url);

    public Uri Url { get; }

    /// <summary>The endpoint process's CPU time so far.</summary>
    public TimeSpan Cpu => _child.Cpu;

    /// <summary>Starts the endpoint's process on the database given (its <c>watches</c> table made already) and waits until it listens.</summary>
    public static async Task<PeerRegistrationEndpoint> StartAsync(string repo, string connectionString)
    {
        var port = BridgeProcess.FreePort();
        var child = BenchChild.Start(repo, Command, port.ToString(CultureInfo.InvariantCulture), connectionString);
        try
        {
            var line = await child.ReadLineAsync(TimeSpan.FromSeconds(90));
            return line == Ready ? new PeerRegistrationEndpoint(child, new Uri($"http://127.0.0.1:{port}")) : throw new InvalidOperationException($"the peer endpoint said: {line}");
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>The child: serves <c>POST /v1/watches</c> on the port given until it is stopped.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var (port, connectionString) = (int.Parse(args[0], CultureInfo.InvariantCulture), args[1]);
        await using var data = NpgsqlDataSource.Create(connectionString);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.MapPost("/v1/watches", (HttpContext http) => RegisterAsync(http, data));
        await app.StartAsync();
        Console.WriteLine(Ready);
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task RegisterAsync(HttpContext http, NpgsqlDataSource data)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)
            || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..])), KeyHash))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        var id = $"watch_{Guid.NewGuid():N}";
        await using var insert = data.CreateCommand(
            "INSERT INTO watches VALUES ($1, 'bench', $2, $3, 'a1b2c3d4', $4, '{}', 'active', 0, now())");
        insert.Parameters.Add(new NpgsqlParameter { Value = id });
        insert.Parameters.Add(new NpgsqlParameter { Value = body.RootElement.GetProperty("video_id").GetString() });
        insert.Parameters.Add(new NpgsqlParameter { Value = body.RootElement.GetProperty("callback_url").GetString() });
        insert.Parameters.Add(new NpgsqlParameter { Value = Events, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await insert.ExecuteNonQueryAsync();
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.Headers.Location = $"/v1/watches/{id}";
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync($"{{\"id\":\"{id}\"}}");
    }

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
