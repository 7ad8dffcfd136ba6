using Scalar.AspNetCore;

namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c>, the contract consumers generate clients from (SPEC §9), and <c>/docs</c>. The document is
/// built from the endpoints' metadata and the C# types by the transformers of this folder, never written by hand.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public static WebApplicationBuilder AddBridgeOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer(AllowedValuesSchemas.ApplyAsync);
            options.AddSchemaTransformer(PoeVideoSchema.ApplyAsync);
            options.AddSchemaTransformer(RangedIntegerParameters.ApplyAsync);
            options.AddOperationTransformer(ClientKeyOperations.ApplyAsync);
            options.AddOperationTransformer(BodyExamples.ApplyAsync);
            options.AddDocumentTransformer(ClientKeyOperations.AddSchemeAsync);
            options.AddDocumentTransformer(WebhooksMap.ApplyAsync);
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Poe Webhook Bridge";
                document.Info.Description = "Register a watch on a Poe video; receive a Standard Webhooks-signed POST when it completes or fails.";
                // Clients call the origin they downloaded the document from; a server list would echo the request's host.
                document.Servers = [];
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapBridgeOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("Poe Webhook Bridge API")
            .WithOpenApiRoutePattern(DocumentPath)
            .AddPreferredSecuritySchemes(ClientKeyOperations.SchemeName)
            // The page is served whole by the bridge (Scalar's bundled script); no fonts from Scalar's CDN either.
            .DisableDefaultFonts());
        return app;
    }
}
