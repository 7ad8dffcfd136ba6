using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>
/// A handler that takes a number as a string (to answer a bad one with a validation problem naming the field) marks it
/// <c>[Range]</c>; the document then says what a client must send: an integer in that range.
/// </summary>
internal static class RangedIntegerParameters
{
    public static Task ApplyAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var parameter = (context.ParameterDescription?.ParameterDescriptor as IParameterInfoParameterDescriptor)?.ParameterInfo;
        if (parameter?.ParameterType != typeof(string) || parameter.GetCustomAttribute<RangeAttribute>() is not { } range)
        {
            return Task.CompletedTask;
        }

        schema.Type = JsonSchemaType.Integer;
        schema.Format = "int32";
        schema.Minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
        schema.Maximum = Convert.ToString(range.Maximum, CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }
}
