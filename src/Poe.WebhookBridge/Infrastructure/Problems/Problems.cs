using Microsoft.AspNetCore.Http.HttpResults;

namespace Poe.WebhookBridge.Infrastructure.Problems;

/// <summary>The RFC 9457 answers the API gives for expected failures.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: $"No {what} with this id.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(title: "Unsupported media type", detail: "Send the body as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType);

    public static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem(title: "Payload too large", detail: $"The body must be at most {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    public static ProblemHttpResult MalformedJson(string detail) =>
        TypedResults.Problem(title: "Malformed JSON", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult IdempotencyMismatch() =>
        TypedResults.Problem(
            title: "Idempotency-Key reused",
            detail: "This Idempotency-Key was used with a different request body in the last 24 hours.",
            statusCode: StatusCodes.Status422UnprocessableEntity);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid request");

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Invalid request");
}
