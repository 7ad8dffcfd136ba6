using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Poe.WebhookBridge.Clients;

namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>
/// What every operation behind the client key can answer, whoever wrote the endpoint: it needs the bearer key (401),
/// it reads the database (503 while that is away), and an id in its path may be unknown or another client's (404,
/// SPEC §2). Driven by the endpoint's authorization metadata, so a new <c>/v1</c> endpoint is described alike.
/// </summary>
internal static class ClientKeyOperations
{
    public const string SchemeName = "bearer";

    public static Task ApplyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<IAuthorizeData>().Any(a => a.Policy == ClientAuthentication.PolicyName) || context.Document is not { } document)
        {
            return Task.CompletedTask;
        }

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
        ProblemResponses.Declare(operation, document, StatusCodes.Status401Unauthorized, "No client API key, or an unknown one.");
        if (context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
        {
            ProblemResponses.Declare(operation, document, StatusCodes.Status404NotFound, "No such id for this client (another client's ids are not found either).");
        }

        ProblemResponses.Declare(operation, document, StatusCodes.Status503ServiceUnavailable, "The database is unavailable; nothing was changed. Retry after the Retry-After seconds.");
        return Task.CompletedTask;
    }

    public static Task AddSchemeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The client's API key (Clients:{name}:ApiKey) as 'Authorization: Bearer <key>'.",
        };
        return Task.CompletedTask;
    }
}
