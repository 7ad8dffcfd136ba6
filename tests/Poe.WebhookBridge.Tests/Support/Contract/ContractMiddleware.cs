using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Poe.WebhookBridge.Tests.Support.Contract;

/// <summary>
/// Outermost in every test bridge's pipeline: keeps a copy of each answer to a documented operation and judges it by
/// the served document once it is written. A violation is recorded in the bridge's <see cref="ContractLog"/> and thrown,
/// so the HTTP call of the test that received it fails with the reason.
/// </summary>
public sealed class ContractMiddleware(RequestDelegate next, ContractLog log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Published by the first test bridge as it starts (BridgeFactory.CreateHost), through this very pipeline.
        var request = context.Request;
        if (!ContractDocument.Current.IsCompleted || await ContractDocument.Current is not { } document || !document.Describes(request.Method, request.Path))
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var copy = new MemoryStream();
        context.Response.Body = new TeeStream(original, copy);
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = Encoding.UTF8.GetString(copy.ToArray());
        var errors = document.CheckResponse(request.Method, request.Path, context.Response.StatusCode, context.Response.ContentType, body);
        if (errors.Count > 0)
        {
            throw log.Record($"{request.Method} {request.Path} answered {context.Response.StatusCode} {context.Response.ContentType}", errors, body);
        }
    }
}

/// <summary>Installs <see cref="ContractMiddleware"/> ahead of the bridge's own middleware.</summary>
public sealed class ContractStartupFilter(ContractLog log) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<ContractMiddleware>(log);
        next(app);
    };
}
