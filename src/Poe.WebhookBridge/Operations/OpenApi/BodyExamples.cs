using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>
/// An example for every request and response body: a problem's from its status, any other body's from its type's
/// <see cref="IDocumentedExample{TSelf}"/>, serialized exactly as the API writes it.
/// </summary>
internal static class BodyExamples
{
    public static Task ApplyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var requestType = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAcceptsMetadata>().LastOrDefault()?.RequestType;
        foreach (var mediaType in operation.RequestBody?.Content?.Values ?? [])
        {
            if (mediaType is OpenApiMediaType body)
            {
                body.Example ??= Of(requestType, json);
            }
        }

        foreach (var (key, response) in operation.Responses ?? [])
        {
            var status = int.Parse(key, System.Globalization.CultureInfo.InvariantCulture);
            var type = context.Description.SupportedResponseTypes.FirstOrDefault(r => r.StatusCode == status)?.Type;
            foreach (var (name, mediaType) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
            {
                mediaType.Example ??= name == ProblemResponses.MediaType ? ProblemResponses.Example(status) : Of(type, json);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The example of <paramref name="type"/>, or none when the type brings none (the document test names it).</summary>
    public static JsonNode? Of(Type? type, JsonSerializerOptions json)
    {
        var example = type?.GetProperty(nameof(IDocumentedExample<>.Example), BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        return example is null ? null : JsonSerializer.SerializeToNode(example, type!, json);
    }
}
