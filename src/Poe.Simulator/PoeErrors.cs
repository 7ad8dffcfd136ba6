using Microsoft.AspNetCore.Http.HttpResults;

namespace Poe.Simulator;

internal static class PoeErrors
{
    public static JsonHttpResult<PoeError> Unauthorized() =>
        Create(StatusCodes.Status401Unauthorized, "Invalid API key provided.", "authentication_error", "invalid_api_key");

    public static JsonHttpResult<PoeError> NotFound(string videoId) =>
        Create(StatusCodes.Status404NotFound, $"Video '{videoId}' not found.", "invalid_request_error", "not_found");

    public static JsonHttpResult<PoeError> RateLimited() =>
        Create(StatusCodes.Status429TooManyRequests, "Rate limit reached for requests. Please retry later.", "rate_limit_error", "rate_limit_exceeded");

    public static JsonHttpResult<PoeError> BadRequest(string message, string code) =>
        Create(StatusCodes.Status400BadRequest, message, "invalid_request_error", code);

    public static JsonHttpResult<PoeError> PointsUsedUp() =>
        Create(StatusCodes.Status402PaymentRequired, "You have run out of points. Buy more points or wait for your allowance to renew.", "insufficient_points", "insufficient_points");

    public static JsonHttpResult<PoeError> Status(int statusCode) => statusCode >= 500
        ? Create(statusCode, "The server had an error while processing your request.", "server_error", "internal_error")
        : Create(statusCode, $"Simulated HTTP {statusCode}.", "invalid_request_error", null);

    private static JsonHttpResult<PoeError> Create(int statusCode, string message, string type, string? code) =>
        TypedResults.Json(new PoeError(new PoeErrorDetail(message, type, code)), statusCode: statusCode, contentType: "application/json");
}
