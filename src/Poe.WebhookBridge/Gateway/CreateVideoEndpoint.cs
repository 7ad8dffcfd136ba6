using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure.Problems;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Gateway;

/// <summary>
/// <c>POST /v1/videos</c>, <c>/v1/videos/{video_id}/remix</c> and <c>/v1/videos/extensions</c>: the watch fields are
/// checked exactly as <c>POST /v1/watches</c> checks them, before anything reaches Poe (a bad callback never costs a
/// video); the rest of the body goes to Poe as the caller wrote it, for Poe to judge.
/// </summary>
internal static class CreateVideoEndpoint
{
    public static Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext context, ClientRegistry clients, CallbackUrlValidator callbackValidator, VideoGateway gateway, CancellationToken cancellationToken) =>
        HandleAsync(GatewayOperation.Create, "", context, clients, callbackValidator, gateway, cancellationToken);

    public static Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> RemixAsync(
        string video_id, HttpContext context, ClientRegistry clients, CallbackUrlValidator callbackValidator, VideoGateway gateway, CancellationToken cancellationToken) =>
        HandleAsync(GatewayOperation.Remix(video_id), video_id, context, clients, callbackValidator, gateway, cancellationToken);

    public static Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> ExtendAsync(
        HttpContext context, ClientRegistry clients, CallbackUrlValidator callbackValidator, VideoGateway gateway, CancellationToken cancellationToken) =>
        HandleAsync(GatewayOperation.Extend, "", context, clients, callbackValidator, gateway, cancellationToken);

    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> HandleAsync(
        GatewayOperation operation, string sourceId, HttpContext context, ClientRegistry clients, CallbackUrlValidator callbackValidator, VideoGateway gateway,
        CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        var (input, refused, invalid) = await WatchRequestInput.ReadAsync(context.Request, cancellationToken);
        if (input is null)
        {
            return refused is null ? invalid! : refused;
        }

        using (input)
        {
            var root = input.Document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Problems.Invalid("", "The body must be a JSON object.");
            }

            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var watch = CreateWatchRequestReader.ReadWatchFields(root, errors);
            await callbackValidator.CheckCallbackAsync(root, errors, cancellationToken);
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            // The same key with another operation or source video is another request, so it is part of what is hashed.
            var claim = input.Key is null ? null : IdempotencyClaim.For(input.Key, [.. Encoding.UTF8.GetBytes($"{operation.Name}\n{sourceId}\n"), .. input.Body]);
            var outcome = await gateway.RunAsync(client, operation, watch, PoeBody.Without(root, CreateWatchRequestReader.WatchFieldNames), claim);
            return Write(context, outcome);
        }
    }

    internal static ContentHttpResult Write(HttpContext context, GatewayOutcome outcome)
    {
        if (outcome.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        if (outcome.Answer.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }

        if (outcome.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return TypedResults.Text(outcome.Answer.Body, outcome.Answer.ContentType, Encoding.UTF8, outcome.Answer.Status);
    }
}
