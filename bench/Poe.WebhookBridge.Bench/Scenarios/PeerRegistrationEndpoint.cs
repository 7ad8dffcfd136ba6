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
/// poll schedule, no idempotency). Hosted in the bench process while no bridge runs.
/// </summary>
public sealed class PeerRegistrationEndpoint : IAsyncDisposable
{
    private static readonly byte[] KeyHash = SHA256.HashData(Encoding.UTF8.GetBytes(BridgeProcess.ClientKey));
    private static readonly string[] Events = ["video.completed", "video.failed", "watch.failed"];

    private readonly WebApplication _app;

    private PeerRegistrationEndpoint(WebApplication app, Uri url) => (_app, Url) = (app, url);

    public Uri Url { get; }

    public static async Task<PeerRegistrationEndpoint> StartAsync(NpgsqlDataSource data)
    {
        var port = BridgeProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/v1/watches", (HttpContext http) => RegisterAsync(http, data));
        await app.StartAsync();
        return new PeerRegistrationEndpoint(app, new Uri($"http://127.0.0.1:{port}"));
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

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
