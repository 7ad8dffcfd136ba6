using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>Turns <see cref="AllowedValuesFromAttribute"/> on a property or a handler parameter into an <c>enum</c>.</summary>
internal static class AllowedValuesSchemas
{
    public static Task ApplyAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var attribute = context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesFromAttribute), inherit: true).OfType<AllowedValuesFromAttribute>().FirstOrDefault()
            ?? (context.ParameterDescription?.ParameterDescriptor as IParameterInfoParameterDescriptor)?.ParameterInfo.GetCustomAttribute<AllowedValuesFromAttribute>();
        if (attribute is null)
        {
            return Task.CompletedTask;
        }

        var target = schema.Type?.HasFlag(JsonSchemaType.Array) == true && schema.Items is OpenApiSchema items ? items : schema;
        target.Enum = [.. attribute.Values.Select(v => (JsonNode)JsonValue.Create(v))];
        return Task.CompletedTask;
    }
}
